namespace Rotor.Storage;

/// <summary>
/// A one-time secret mailed to a user: an email-verification code or a password-reset token. Only an HMAC of the
/// secret is stored, under a server key kept outside the database (in <c>Rotor:KeyDirectory</c>), so a copy of the
/// database lets nobody verify an address or reset a password, nor try all million codes offline.
/// </summary>
public sealed class RotorAccountToken
{
    /// <summary>The token id (a reset link carries it beside the secret).</summary>
    public Guid Id { get; set; }

    /// <summary>The ASP.NET Core Identity user the token belongs to.</summary>
    public string UserId { get; set; } = "";

    /// <summary>What the token is for: <c>verify_email</c> or <c>reset_password</c>.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>HMAC-SHA256, under the server's account-secret key, of the purpose, id, <see cref="Salt"/> and secret.</summary>
    public byte[] Hash { get; set; } = [];

    /// <summary>Random bytes mixed into <see cref="Hash"/>, so equal secrets never hash alike.</summary>
    public byte[] Salt { get; set; } = [];

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the token stops working.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>
    /// Unused: wrong codes are counted per address across codes (<see cref="RotorCodeBudget"/>). Kept so existing
    /// databases need no change.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>When the token was used or replaced by a newer one; null while it is usable.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
