namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A test of something only PostgreSQL has (LISTEN/NOTIFY, a server that can stop and start, connections it ends, row
/// locks). On SQLite it is reported as skipped with <see cref="Why"/>, which names the SQLite counterpart when there is one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlOnlyFactAttribute : FactAttribute
{
    public PostgreSqlOnlyFactAttribute(string why)
    {
        Why = why;
        if (!TestDatabase.IsPostgreSql)
        {
            Skip = "PostgreSQL only: " + why;
        }
    }

    public string Why { get; }
}
