namespace Rotor.Tests.Infrastructure;

/// <summary>
/// Two Rotor hosts on one database and one key folder, as two instances of a fleet, each with its own client. The
/// first host starts (creating the schema and keys) before the second.
/// </summary>
public sealed class TwoInstances : IDisposable
{
    /// <param name="create">Makes a host; null for the first, the first host's directory for the second.</param>
    public TwoInstances(Func<string?, RotorApp> create)
    {
        First = create(null);
        A = First.Client();
        Second = create(First.Directory);
        B = Second.Client();
    }

    public RotorApp First { get; }

    public RotorApp Second { get; }

    /// <summary>A client of <see cref="First"/>.</summary>
    public RotorClient A { get; }

    /// <summary>A client of <see cref="Second"/>.</summary>
    public RotorClient B { get; }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
        Second.Dispose();
        First.Dispose();
    }
}
