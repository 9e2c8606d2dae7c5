namespace Rotor.Contracts;

/// <summary>New recovery codes (the previous ones stop working). Shown once: the server keeps no readable copy to show again.</summary>
/// <param name="RecoveryCodes">Ten codes, each usable once instead of an authenticator code.</param>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
