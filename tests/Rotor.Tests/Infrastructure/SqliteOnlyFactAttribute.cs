namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A test of something only SQLite has (its file, its file locks, its journal). On PostgreSQL it is reported as
/// skipped with <see cref="Why"/>, which names the PostgreSQL counterpart when there is one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        Why = why;
        if (TestDatabase.IsPostgreSql)
        {
            Skip = "SQLite only: " + why;
        }
    }

    public string Why { get; }
}
