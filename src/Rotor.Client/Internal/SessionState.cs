namespace Rotor.Client.Internal;

/// <summary>
/// An immutable snapshot of a session, swapped whole so the request path reads it with one volatile load and no lock.
/// <see cref="Version"/> grows with every change, which lets a request tell whether the tokens it used are still the
/// current ones.
/// </summary>
internal sealed class SessionState
{
    public static readonly SessionState Unloaded = new(null, 0, isLoaded: false, endReason: null, refreshAt: default);

    private SessionState(RotorTokens? tokens, long version, bool isLoaded, string? endReason, DateTimeOffset refreshAt)
    {
        Tokens = tokens;
        Version = version;
        IsLoaded = isLoaded;
        EndReason = endReason;
        RefreshAt = refreshAt;
        if (tokens?.IsDpopBound == true)
        {
            Signer = tokens.Signer;
            AccessTokenHash = DpopSigner.HashAccessToken(tokens.AccessToken);
            AuthorizationValue = "DPoP " + tokens.AccessToken;
        }
        else
        {
            AuthorizationValue = tokens is null ? null : "Bearer " + tokens.AccessToken;
        }
    }

    public RotorTokens? Tokens { get; }

    public long Version { get; }

    public bool IsLoaded { get; }

    /// <summary>Set when the server ended the session (refresh answered 401): the code it gave.</summary>
    public string? EndReason { get; }

    /// <summary>From this moment (client clock) a request refreshes before it is sent.</summary>
    public DateTimeOffset RefreshAt { get; }

    /// <summary>The <c>Authorization</c> header value, built once per token so requests share it.</summary>
    public string? AuthorizationValue { get; }

    /// <summary>The key that signs a proof for every request with the access token; <c>null</c> unless the token is DPoP-bound.</summary>
    public DpopSigner? Signer { get; }

    /// <summary>The proofs' <c>ath</c> for this access token, computed once; <c>null</c> unless DPoP-bound.</summary>
    public string? AccessTokenHash { get; }

    public static SessionState SignedIn(RotorTokens tokens, long version, TimeSpan margin)
    {
        var lifetime = tokens.ExpiresAt - tokens.ReceivedAt;
        // A token that lives less than twice the margin would be "about to expire" from birth and refresh on every
        // request; half its lifetime is the earliest sensible moment then.
        var lead = margin < lifetime / 2 ? margin : lifetime / 2;
        return new SessionState(tokens, version, isLoaded: true, endReason: null, tokens.ExpiresAt - lead);
    }

    public static SessionState SignedOut(long version) => new(null, version, isLoaded: true, endReason: null, default);

    public static SessionState Ended(long version, string reason) => new(null, version, isLoaded: true, reason, default);
}
