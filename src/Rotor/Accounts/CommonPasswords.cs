namespace Rotor.Accounts;

/// <summary>
/// The list of common passwords shipped with Rotor (an embedded resource; its header names the source),
/// checked at registration, reset and change as OWASP ASVS asks.
/// </summary>
internal static class CommonPasswords
{
    private const string ResourceName = "Rotor.Accounts.common-passwords.txt";

    private static readonly Lazy<HashSet<string>> s_list = new(Load);

    public static int Count => s_list.Value.Count;

    /// <summary>Whether the password is on the list, ignoring case and surrounding spaces (<c>Password1</c> is as weak as <c>password1</c>).</summary>
    public static bool Contains(string password) => s_list.Value.Contains(password.Trim().ToLowerInvariant());

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the Rotor assembly; rebuild Rotor.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set;
    }
}
