namespace Rotor.Storage;

/// <summary>
/// A one-time secret mailed to a user: an email-verification code or a password-reset token. Only a salted
/// HMAC of the secret is stored, so a copy of the database lets nobody verify an address or reset a password.
/// </summary>
public sealed class RotorAccountToken
{
    /// <summary>The token id (a reset link carries it beside the secret).</summary>
    public Guid Id { get; set; }

    /// <summary>The ASP.NET Core Identity user the token belongs to.</summary>
    public string UserId { get; set; } = "";

    /// <summary>What the token is for: <c>verify_email</c> or <c>reset_password</c>.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>HMAC-SHA256 of the secret under <see cref="Salt"/>.</summary>
    public byte[] Hash { get; set; } = [];

    /// <summary>A random per-token key for <see cref="Hash"/>.</summary>
    public byte[] Salt { get; set; } = [];

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the token stops working.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>How many times a secret was checked against this token.</summary>
    public int Attempts { get; set; }

    /// <summary>When the token was used or replaced by a newer one; null while it is usable.</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}
