using System.Net;
using Duende.IdentityModel.Client;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OAuth;

/// <summary>
/// The database is out (SQLite: another process holds the file's write lock; PostgreSQL: the test's own server is
/// stopped): the OAuth endpoints answer 503 <c>temporarily_unavailable</c> with Retry-After, never <c>invalid_grant</c>
/// (which a client takes as "sign in again") and never 500, and nothing is half-done.
/// </summary>
public sealed class OAuthOutageTests(OutageCluster cluster) : IClassFixture<OutageCluster>, IDisposable
{
    private RotorApp? _app;
    private RotorClient? _client;

    private RotorApp App => _app ??= new RotorApp(Settings());

    private RotorClient Client => _client ??= App.Client();

    public void Dispose()
    {
        _client?.Dispose();
        _app?.Dispose();
    }

    [Fact]
    public async Task A_refresh_during_an_outage_is_503_temporarily_unavailable_and_the_token_still_works_afterwards()
    {
        var session = await Client.NewNativeSessionAsync();

        await using (await OutageAsync())
        {
            // Twice on PostgreSQL: the first meets the pooled connection the shutdown ended, the second a refused one.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await Client.TokenAsync(session.RefreshToken);
                await OAuthForms.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
            }

            // What an off-the-shelf client sees: an HTTP failure to retry (the library reports any status but 400 and
            // 401 as such), not a protocol error saying the grant is dead.
            var library = await Client.Http.RequestRefreshTokenAsync(new RefreshTokenRequest { Address = "/oauth/token", ClientId = "cli", RefreshToken = session.RefreshToken });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, library.HttpStatusCode);
            Assert.Equal(ResponseErrorType.Http, library.ErrorType);
            Assert.NotEqual("invalid_grant", library.Error);
        }

        using var after = await Client.TokenAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_revocation_during_an_outage_is_503_and_can_be_retried()
    {
        var session = await Client.NewNativeSessionAsync();

        await using (await OutageAsync())
        {
            using var response = await Client.RevokeAsync(session.RefreshToken);
            await OAuthForms.AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
        }

        using var retry = await Client.RevokeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        using var refreshed = await Client.TokenAsync(session.RefreshToken);
        await OAuthForms.AssertErrorAsync(refreshed, HttpStatusCode.BadRequest, "invalid_grant");
    }

    private Dictionary<string, string?> Settings()
    {
        // Keep the background work out of the way of the outage.
        var settings = new Dictionary<string, string?> { ["Rotor:PurgeInterval"] = "1.00:00:00" };
        if (TestDatabase.IsPostgreSql)
        {
            settings["ConnectionStrings:Rotor"] = cluster.ConnectionString;
        }

        return settings;
    }

    /// <summary>Makes the database unusable until disposed.</summary>
    private async Task<IAsyncDisposable> OutageAsync()
    {
        if (TestDatabase.IsPostgreSql)
        {
            return await cluster.OutageAsync();
        }

        // Another process's write lock; the app's connections give up after about two seconds.
        var connection = new SqliteConnection($"Data Source={App.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
