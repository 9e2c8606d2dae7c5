using System.Diagnostics;

namespace Rotor.Diagnostics;

/// <summary>
/// Rotor's traces: spans <c>rotor.login</c>, <c>rotor.refresh</c>, <c>rotor.revoke</c> and <c>rotor.store.rotate</c> on
/// the <c>ActivitySource</c> named <see cref="Name"/>. Their tags carry outcomes, modes, reasons, session ids and the
/// database provider; never a token, code, password, username or email address.
/// </summary>
public static class RotorActivitySource
{
    /// <summary>The source's name, for OpenTelemetry's <c>AddSource</c>: <c>Rotor</c>.</summary>
    public const string Name = "Rotor";

    internal static readonly ActivitySource Source = new(Name, typeof(RotorActivitySource).Assembly.GetName().Version?.ToString());
}
