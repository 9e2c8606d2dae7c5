using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests.DependencyInjection;

public sealed class RotorHttpClientBuilderExtensionsTests
{
    [Fact]
    public async Task A_factory_client_with_AddRotorSession_signs_in_and_keeps_the_session_across_handler_rotation()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddHttpClient("api", c => c.BaseAddress = server.Address)
                .AddRotorSession(o => o.ServerAddress = server.Address)
                .SetHandlerLifetime(TimeSpan.FromSeconds(1));
        await using var provider = services.BuildServiceProvider();

        var session = provider.GetRequiredService<RotorSession>();
        Assert.Same(session, provider.GetRequiredKeyedService<RotorSession>("api"));
        Assert.True((await session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        Assert.Contains(user, await factory.CreateClient("api").GetStringAsync("users/me"), StringComparison.Ordinal);

        // New handlers after the factory's rotation still use the one session, and refresh through it.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        clock.SetUtcNow(session.State.Tokens!.ExpiresAt + TimeSpan.FromSeconds(1));
        var clients = Enumerable.Range(0, 10).Select(_ => factory.CreateClient("api")).ToArray();
        var bodies = await Task.WhenAll(clients.Select(c => c.GetStringAsync("users/me")));

        Assert.All(bodies, b => Assert.Contains(user, b, StringComparison.Ordinal));
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task Two_clients_get_two_keyed_sessions()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("a").AddRotorSession(o => o.ServerAddress = new Uri("http://127.0.0.1:1/"));
        services.AddHttpClient("b").AddRotorSession(o => o.ServerAddress = new Uri("http://127.0.0.1:2/"));
        await using var provider = services.BuildServiceProvider();

        var a = provider.GetRequiredKeyedService<RotorSession>("a");
        var b = provider.GetRequiredKeyedService<RotorSession>("b");

        Assert.NotSame(a, b);
        Assert.Same(a, provider.GetRequiredService<RotorSession>());
    }

    [Fact]
    public async Task Missing_options_fail_with_a_message_that_says_what_to_fix()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddRotorSession(_ => { });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("api"));

        Assert.Contains("ServerAddress is required", error.Message, StringComparison.Ordinal);
    }
}
