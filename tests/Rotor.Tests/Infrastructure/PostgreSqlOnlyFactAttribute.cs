namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A test of something only PostgreSQL has (row locks taken by another transaction, its batch statement). On
/// SQLite it is reported as skipped with <see cref="Why"/>.
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
