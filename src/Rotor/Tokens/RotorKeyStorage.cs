namespace Rotor.Tokens;

/// <summary>Where the keys live (<see cref="RotorKeyOptions.Store"/>).</summary>
public enum RotorKeyStorage
{
    /// <summary>Owner-only files in <see cref="RotorOptions.KeyDirectory"/>: one machine, or a folder shared by all instances.</summary>
    File,

    /// <summary>The <c>rotor_keys</c> table, encrypted under <see cref="RotorKeyOptions.EncryptionKey"/>: a fleet.</summary>
    Database,
}
