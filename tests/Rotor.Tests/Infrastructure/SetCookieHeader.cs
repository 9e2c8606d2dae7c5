namespace Rotor.Tests.Infrastructure;

/// <summary>A parsed Set-Cookie header: name, value and attributes (names lower-cased).</summary>
public sealed record SetCookieHeader(string Name, string Value, IReadOnlyDictionary<string, string> Attributes)
{
    public static SetCookieHeader Parse(string header)
    {
        var parts = header.Split(';', StringSplitOptions.TrimEntries);
        var nameValue = parts[0].Split('=', 2);
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            var kv = part.Split('=', 2);
            attributes[kv[0].ToLowerInvariant()] = kv.Length > 1 ? kv[1] : "";
        }

        return new SetCookieHeader(nameValue[0], nameValue.Length > 1 ? nameValue[1] : "", attributes);
    }

    public bool Has(string attribute) => Attributes.ContainsKey(attribute);
}
