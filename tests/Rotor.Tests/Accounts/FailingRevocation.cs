using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Host.Data;

namespace Rotor.Tests.Accounts;

/// <summary>
/// A test-only EF command interceptor: when armed, the next statement that revokes sessions fails like a lost
/// database would (a <see cref="DbException"/>), in the middle of whatever unit of work issued it.
/// </summary>
public sealed class FailingRevocation : DbCommandInterceptor
{
    private int _armed;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public bool Fired { get; private set; }

    // The host registers the provider's own context type (the one that carries its migrations).
    public void Register(IServiceCollection services) => services
        .ConfigureDbContext<SqliteRotorDbContext>(options => options.AddInterceptors(this))
        .ConfigureDbContext<PostgreSqlRotorDbContext>(options => options.AddInterceptors(this));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ThrowIfRevocation(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ThrowIfRevocation(command);
        return ValueTask.FromResult(result);
    }

    private void ThrowIfRevocation(DbCommand command)
    {
        var text = command.CommandText;
        // SQLite quotes every name; Npgsql only those that need it (UPDATE rotor_sessions AS r SET "RevokedAt" …).
        if ((text.Contains("UPDATE \"rotor_sessions\"", StringComparison.Ordinal) || text.Contains("UPDATE rotor_sessions", StringComparison.Ordinal))
            && text.Contains("\"RevokedAt\"", StringComparison.Ordinal)
            && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Fired = true;
            throw new SqliteException("Injected failure while revoking sessions.", 10);
        }
    }
}
