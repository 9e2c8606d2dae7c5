using Rotor.Contracts;
using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts.Mfa;

/// <summary>A signed-in user's two-step sign-in settings: authenticator key, on and off, recovery codes.</summary>
internal interface IRotorMfaManager
{
    Task<RotorOutcome<MfaStatusResponse>> StatusAsync(string userId, CancellationToken cancellationToken);

    /// <summary>A new authenticator key. When two-step sign-in was on, it is off until the new key is confirmed.</summary>
    Task<RotorOutcome<MfaSetupResponse>> SetupAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Confirms the key with a code, turns two-step sign-in on and returns new recovery codes; ends the user's other sessions.</summary>
    Task<RotorOutcome<RecoveryCodesResponse>> EnableAsync(string userId, Guid? sessionId, string? code, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Turns two-step sign-in off and forgets the key and recovery codes; sessions go on.</summary>
    Task<RotorOutcome<bool>> DisableAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>New recovery codes; the previous ones stop working.</summary>
    Task<RotorOutcome<RecoveryCodesResponse>> RegenerateRecoveryCodesAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken);
}
