namespace Rotor.Tokens;

/// <summary>
/// A refresh-token HMAC key. <see cref="Id"/> is the first byte of every token it makes: generation 0 is 1 (the
/// original format's version byte), and the id wraps after 255, which is safe because far fewer keys are ever live.
/// </summary>
internal sealed record RefreshKey(int Generation, byte Id, byte[] Key, DateTimeOffset ActivatesAt, DateTimeOffset AcceptUntil)
{
    public static byte IdOf(int generation) => (byte)(generation % 255 + 1);
}
