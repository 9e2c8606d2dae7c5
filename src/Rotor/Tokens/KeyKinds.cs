namespace Rotor.Tokens;

/// <summary>The kinds of key a <see cref="IRotorKeyStore"/> holds.</summary>
internal static class KeyKinds
{
    /// <summary>ES256 access-token signing keys (material: PKCS#8 DER).</summary>
    public const string Signing = "signing";

    /// <summary>Refresh-token HMAC keys (material: 32 random bytes).</summary>
    public const string Refresh = "refresh";

    /// <summary>The key mailed codes and reset tokens are hashed under; never rotated (material: 32 random bytes).</summary>
    public const string AccountSecret = "account";
}
