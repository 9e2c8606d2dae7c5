using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class RegistrationTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public RegistrationTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Register_answers_201_with_the_user()
    {
        var name = RotorClient.NewName();

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = name, email = $"{name}@example.com", password = RotorClient.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Equal(name, (string)body["username"]!);
        Assert.Equal($"{name}@example.com", (string)body["email"]!);
        Assert.True(Guid.TryParse((string)body["id"]!, out _));
        Assert.Null(body["password"]);
        Assert.Null(body["passwordHash"]);
    }

    [Theory]
    [InlineData("Admin", "admin")]
    [InlineData("admin", "ADMIN")]
    [InlineData("admin", "ａｄｍｉｎ")] // full-width letters
    [InlineData("admin", " admin")]
    public async Task Look_alike_usernames_are_taken(string first, string second)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await _client.RegisterAsync(first + suffix, $"a{suffix}@example.com");

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = second + suffix, email = $"b{suffix}@example.com", password = RotorClient.Password });

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Conflict, "username_taken");
    }

    [Fact]
    public async Task An_email_differing_only_in_case_is_taken()
    {
        var name = RotorClient.NewName();
        await _client.RegisterAsync(name, $"{name}@example.com");

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = RotorClient.NewName(), email = $"{name.ToUpperInvariant()}@EXAMPLE.com", password = RotorClient.Password });

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task A_full_width_username_is_stored_in_its_normal_form_and_signs_in_either_way()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var user = await _client.RegisterAsync("ｂｏｂ" + suffix, $"bob{suffix}@example.com");
        Assert.Equal("bob" + suffix, (string)user["username"]!);

        using var viaPlain = await _client.LoginAsync("BOB" + suffix, mode: "native");
        using var viaWide = await _client.LoginAsync("ｂｏｂ" + suffix, mode: "native");

        Assert.Equal(HttpStatusCode.OK, viaPlain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaWide.StatusCode);
    }

    [Fact]
    public async Task Invalid_fields_answer_400_with_an_error_per_field()
    {
        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = "x", email = "not-an-email", password = "short" });

        var body = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var errors = body["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("username"));
        Assert.True(errors.ContainsKey("email"));
        Assert.True(errors.ContainsKey("password"));
    }

    [Fact]
    public async Task Passwords_are_never_transformed()
    {
        var name = RotorClient.NewName();
        const string password = "  Ｐässwörd with spaces  ";
        await _client.RegisterAsync(name, password: password);

        using var exact = await _client.LoginAsync(name, password, mode: "native");
        using var trimmed = await _client.LoginAsync(name, password.Trim(), mode: "native");
        using var normalized = await _client.LoginAsync(name, password.Normalize(System.Text.NormalizationForm.FormKC), mode: "native");

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, trimmed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, normalized.StatusCode);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_name_admit_exactly_one()
    {
        var name = RotorClient.NewName();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _client.Http.PostAsJsonAsync("/auth/register", new { username = name, email = $"{name}{i}@example.com", password = RotorClient.Password })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }
}
