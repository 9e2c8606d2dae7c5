using System.Net;

namespace Rotor.Client;

/// <summary>
/// The outcome of <see cref="RotorSession.LoginAsync"/>, <see cref="RotorSession.CompleteMfaAsync"/> and
/// <see cref="RotorSession.ReauthenticateAsync"/>. A refusal by the server (wrong credentials, lockout, a second
/// factor needed, an unavailable server) is a value, not an exception; only a failure to reach the server throws.
/// </summary>
public sealed class RotorLoginResult
{
    /// <summary>The <see cref="ErrorCode"/> of an answer that asks for a second factor.</summary>
    public const string MfaRequiredCode = "mfa_required";

    private RotorLoginResult(bool succeeded, HttpStatusCode statusCode, RotorUser? user, string? errorCode, string? detail, TimeSpan? retryAfter,
        string? mfaChallenge, IReadOnlyList<string> mfaMethods)
    {
        Succeeded = succeeded;
        StatusCode = statusCode;
        User = user;
        ErrorCode = errorCode;
        Detail = detail;
        RetryAfter = retryAfter;
        MfaChallenge = mfaChallenge;
        MfaMethods = mfaMethods;
    }

    /// <summary>Whether the user is now signed in (or, for <see cref="RotorSession.ReauthenticateAsync"/>, has a fresh access token).</summary>
    public bool Succeeded { get; }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The signed-in user when <see cref="Succeeded"/>.</summary>
    public RotorUser? User { get; }

    /// <summary>
    /// The server's stable error code when the call failed, such as <c>invalid_credentials</c>, <c>locked_out</c>,
    /// <c>mfa_required</c>, <c>mfa_code_invalid</c> or <c>mfa_challenge_invalid</c>; <c>http_&lt;status&gt;</c> when the
    /// answer carried none (a redirect, which the session never follows, is <c>http_307</c> and the like).
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>The server's sentence about the failure, suitable to show a person.</summary>
    public string? Detail { get; }

    /// <summary>How long the server asked to wait before trying again, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Whether the password was right and the account needs a second factor (<see cref="ErrorCode"/> is
    /// <c>mfa_required</c>). After <see cref="RotorSession.LoginAsync"/>, ask the user for an authenticator code (or a
    /// recovery code) and call <see cref="RotorSession.CompleteMfaAsync"/> with <see cref="MfaChallenge"/>. After
    /// <see cref="RotorSession.ReauthenticateAsync"/>, call it again with the code.
    /// </summary>
    public bool MfaRequired => ErrorCode == MfaRequiredCode;

    /// <summary>
    /// The opaque, single-use challenge to pass to <see cref="RotorSession.CompleteMfaAsync"/> when
    /// <see cref="MfaRequired"/> after a login; it is valid for a few minutes. <c>null</c> otherwise (a reauthentication
    /// needs no challenge).
    /// </summary>
    public string? MfaChallenge { get; }

    /// <summary>The second factors the server accepts when <see cref="MfaRequired"/>, such as <c>totp</c> and <c>recovery_code</c>; empty otherwise.</summary>
    public IReadOnlyList<string> MfaMethods { get; }

    internal static RotorLoginResult Success(HttpStatusCode status, RotorUser user) => new(true, status, user, null, null, null, null, []);

    internal static RotorLoginResult Failure(HttpStatusCode status, string errorCode, string? detail, TimeSpan? retryAfter,
        string? mfaChallenge = null, IReadOnlyList<string>? mfaMethods = null) =>
        new(false, status, null, errorCode, detail, retryAfter, mfaChallenge, mfaMethods ?? []);
}
