namespace Rotor.Storage;

/// <summary>
/// The SQL expressions a rotation compares against: parameters for a single request, or a row source's columns
/// when a provider rotates a batch in one statement (<see cref="RotorSql.RotateEach"/>).
/// </summary>
/// <param name="Id">The session id.</param>
/// <param name="Generation">The presented generation.</param>
/// <param name="Mode">The transport the token came by.</param>
/// <param name="Now">The store's clock, as stored (see <see cref="RotorSql.StoreTime"/>).</param>
/// <param name="Idle">The idle expiry a rotation renews to, as stored.</param>
/// <param name="LockoutNow">The instant compared with Identity's lockout end (see <see cref="RotorSql.LockoutNow"/>).</param>
/// <param name="Jkt">The thumbprint of the presented DPoP proof's key, or NULL.</param>
internal readonly record struct RotationValues(string Id, string Generation, string Mode, string Now, string Idle, string LockoutNow, string Jkt)
{
    /// <summary>The parameters <see cref="RotorSql.BindRotate"/> and <see cref="RotorSql.BindClassify"/> bind.</summary>
    public static readonly RotationValues Parameters = new("@id", "@gen", "@mode", "@now", "@idle", "@lockoutNow", "@jkt");
}
