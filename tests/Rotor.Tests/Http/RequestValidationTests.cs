using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Http;

public sealed class RequestValidationTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public RequestValidationTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string, string> MalformedBodies
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] bodies =
            [
                "{",
                "{\"username\": \"a\",}",
                "{'username': 'a'}",
                "{\"username\": \"a\" \"password\": \"b\"}",
                "not json",
                "[]",
                "[{\"username\": \"a\"}]",
                "\"a string\"",
                "42",
                "true",
                "null",
                "{\"username\": \"a\"} trailing",
                "{\"username\": \"a\" /* comment */}",
                "\uFEFF\uFEFF{}",
                "{\"username\": \"\\uD800\"",
                new string('[', 10_000),
            ];
            foreach (var path in Paths)
            {
                foreach (var body in bodies)
                {
                    data.Add(path, body);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> WrongTypes => new()
    {
        { "/auth/login", "{\"username\": 123, \"password\": \"correct horse battery staple\"}" },
        { "/auth/login", "{\"username\": [\"a\"], \"password\": \"correct horse battery staple\"}" },
        { "/auth/login", "{\"username\": {\"a\": 1}, \"password\": \"x\"}" },
        { "/auth/login", "{\"username\": \"someone\", \"password\": 12345678}" },
        { "/auth/login", "{\"username\": \"someone\", \"password\": \"x\", \"mode\": true}" },
        { "/auth/register", "{\"username\": 123, \"email\": \"a@example.com\", \"password\": \"correct horse battery staple\"}" },
        { "/auth/register", "{\"username\": \"someone\", \"email\": false, \"password\": \"correct horse battery staple\"}" },
        { "/auth/register", "{\"username\": \"someone\", \"email\": \"a@example.com\", \"password\": [1, 2]}" },
        { "/auth/refresh", "{\"refreshToken\": 123}" },
        { "/auth/refresh", "{\"refreshToken\": [\"a\"]}" },
        { "/auth/refresh", "{\"refreshToken\": {\"value\": \"a\"}}" },
    };

    private static readonly string[] Paths = ["/auth/login", "/auth/register", "/auth/refresh"];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_or_non_object_json_is_400_invalid_request(string path, string body)
    {
        using var response = await PostAsync(path, body);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Fields_of_the_wrong_type_are_400(string path, string body)
    {
        using var response = await PostAsync(path, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains((string?)problem["code"], (string[])["invalid_request", "validation_failed"]);
    }

    [Theory]
    [InlineData("/auth/login", "text/plain")]
    [InlineData("/auth/register", "text/plain")]
    [InlineData("/auth/refresh", "text/plain")]
    [InlineData("/auth/login", "application/x-www-form-urlencoded")]
    [InlineData("/auth/register", "multipart/form-data; boundary=x")]
    [InlineData("/auth/refresh", "application/x-www-form-urlencoded")]
    [InlineData("/auth/login", "application/xml")]
    public async Task A_body_that_is_not_json_is_415(string path, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"username\":\"a\",\"password\":\"b\",\"refreshToken\":\"c\"}")) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _client.Http.SendAsync(request);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/register")]
    [InlineData("/auth/refresh")]
    public async Task A_json_body_with_a_charset_or_json_suffix_is_accepted_as_json(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{", Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        using var response = await _client.Http.SendAsync(request);

        // Read as JSON (and found malformed), not refused as the wrong media type.
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/register")]
    [InlineData("/auth/refresh")]
    public async Task A_body_over_16_KB_is_413(string path)
    {
        var padding = new string('a', 17 * 1024);
        var body = $"{{\"username\":\"someone\",\"email\":\"a@example.com\",\"password\":\"x\",\"refreshToken\":\"t\",\"pad\":\"{padding}\"}}";

        using var response = await PostAsync(path, body);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/register")]
    public async Task A_one_megabyte_password_is_413_and_never_hashed(string path)
    {
        var user = await _client.RegisterAsync();
        var body = JsonSerializerBody(new { username = (string)user["username"]!, email = "x" + (string)user["email"]!, password = new string('p', 1024 * 1024) });

        using var response = await PostAsync(path, body);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/register")]
    [InlineData("/auth/refresh")]
    public async Task A_large_body_of_unknown_length_is_refused_with_4xx_never_500(string path)
    {
        // Chunked: no Content-Length to refuse early on, so the limit must hold while reading.
        var bytes = Encoding.UTF8.GetBytes($"{{\"username\":\"someone\",\"password\":\"{new string('p', 1024 * 1024)}\"}}");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new UnseekableStream(bytes)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.Http.SendAsync(request);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task A_password_just_over_the_limit_within_a_small_body_is_refused_without_error()
    {
        var user = await _client.RegisterAsync();

        using var login = await _client.LoginAsync((string)user["username"]!, new string('p', 10_000));
        await RotorClient.AssertProblemAsync(login, HttpStatusCode.Unauthorized, "invalid_credentials");

        using var register = await PostAsync("/auth/register", JsonSerializerBody(new { username = RotorClient.NewName(), email = RotorClient.NewName() + "@example.com", password = new string('p', 10_000) }));
        var problem = await RotorClient.AssertProblemAsync(register, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["password"]);
    }

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/register")]
    public async Task An_empty_body_is_400(string path)
    {
        using var noContent = await _client.Http.PostAsync(path, null);
        await AssertProblemAsync(noContent, HttpStatusCode.BadRequest);

        using var emptyJson = await PostAsync(path, "");
        await AssertProblemAsync(emptyJson, HttpStatusCode.BadRequest);

        using var emptyObject = await PostAsync(path, "{}");
        var problem = await RotorClient.AssertProblemAsync(emptyObject, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["username"]);
        Assert.NotNull(problem["errors"]!["password"]);
    }

    [Fact]
    public async Task A_login_with_an_unknown_mode_is_a_validation_failure()
    {
        using var response = await PostAsync("/auth/login", "{\"username\":\"someone\",\"password\":\"correct horse battery staple\",\"mode\":\"cookie-jar\"}");

        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["mode"]);
    }

    [Fact]
    public async Task An_empty_refresh_body_means_no_token()
    {
        using var response = await _client.Http.PostAsync("/auth/refresh", null);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_missing");
    }

    public static TheoryData<string, string[]> InvalidRegistrations => new()
    {
        { "{}", ["username", "email", "password"] },
        { "{\"username\":\"ab\",\"email\":\"ab@example.com\",\"password\":\"correct horse battery staple\"}", ["username"] },
        { $"{{\"username\":\"{new string('a', 33)}\",\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\"}}", ["username"] },
        { "{\"username\":\"has space\",\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\"}", ["username"] },
        { "{\"username\":\"semi;colon\",\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\"}", ["username"] },
        { "{\"username\":\"   \",\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\"}", ["username"] },
        { "{\"username\":\"valid_name\",\"email\":\"not-an-email\",\"password\":\"correct horse battery staple\"}", ["email"] },
        { "{\"username\":\"valid_name\",\"email\":\"a@localhost\",\"password\":\"correct horse battery staple\"}", ["email"] },
        { "{\"username\":\"valid_name\",\"email\":\"Name <a@example.com>\",\"password\":\"correct horse battery staple\"}", ["email"] },
        { "{\"username\":\"valid_name\",\"email\":\"a@example.com\",\"password\":\"short\"}", ["password"] },
        { "{\"username\":\"valid_name\",\"email\":\"a@example.com\",\"password\":\"\"}", ["password"] },
        { "{\"username\":\"x\",\"email\":\"y\",\"password\":\"z\"}", ["username", "email", "password"] },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Register_validation_names_the_fields(string body, string[] fields)
    {
        using var response = await PostAsync("/auth/register", body);

        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (_, messages) in errors)
        {
            var list = messages!.AsArray();
            Assert.NotEmpty(list);
            Assert.All(list, m => Assert.False(string.IsNullOrWhiteSpace((string?)m)));
        }
    }

    [Fact]
    public async Task Unknown_members_are_ignored()
    {
        using var response = await PostAsync("/auth/register", JsonSerializerBody(new
        {
            username = RotorClient.NewName(),
            email = RotorClient.NewName() + "@example.com",
            password = RotorClient.Password,
            isAdmin = true,
            id = "00000000-0000-0000-0000-000000000000",
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual("00000000-0000-0000-0000-000000000000", (string?)(await RotorClient.ReadJsonAsync(response))["id"]);
    }

    [Fact]
    public async Task Nothing_a_bad_request_sends_is_echoed_or_answered_with_500()
    {
        // A mix of hostile inputs at once: none may surface as a server error.
        string[] bodies =
        [
            "{\"username\":\"\\u0000\",\"password\":\"\\u0000\"}",
            "{\"username\":\"a\\u0000b\",\"email\":\"a\\u0000@example.com\",\"password\":\"correct horse battery staple\"}",
            "{\"username\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\",\"email\":\"emoji@example.com\",\"password\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"}",
            "{\"username\":\"a\",\"username\":\"b\",\"password\":\"c\"}",
            "{\"refreshToken\":\"" + new string('A', 10_000) + "\"}",
            "{\"refreshToken\":\"\\u0000\"}",
        ];
        foreach (var path in Paths)
        {
            foreach (var body in bodies)
            {
                using var response = await PostAsync(path, body);
                Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode} to {body[..Math.Min(body.Length, 60)]}");
                if (!response.IsSuccessStatusCode)
                {
                    await AssertProblemAsync(response, response.StatusCode);
                }
            }
        }
    }

    public static TheoryData<string, string> DuplicateKeys => new()
    {
        { "/auth/login", "{\"username\":\"a\",\"username\":\"b\",\"password\":\"correct horse battery staple\"}" },
        { "/auth/login", "{\"username\":\"a\",\"Username\":\"b\",\"password\":\"correct horse battery staple\"}" },
        { "/auth/login", "{\"username\":\"a\",\"password\":\"x\",\"PASSWORD\":\"y\"}" },
        { "/auth/login", "{\"username\":\"a\",\"password\":\"x\",\"mode\":\"native\",\"mode\":\"browser\"}" },
        { "/auth/login", "{\"email\":\"a@example.com\",\"eMail\":\"b@example.com\",\"password\":\"x\"}" },
        { "/auth/register", "{\"username\":\"someone\",\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"correct horse battery staple\"}" },
        { "/auth/refresh", "{\"refreshToken\":\"a\",\"refreshToken\":\"b\"}" },
        { "/auth/refresh", "{\"refreshToken\":\"a\",\"RefreshToken\":\"b\"}" },
        { "/auth/logout", "{\"refreshToken\":\"a\",\"refreshtoken\":\"b\"}" },
        { "/auth/verify-otp", "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"code\":\"123456\"}" },
        { "/auth/resend-otp", "{\"email\":\"a@example.com\",\"Email\":\"b@example.com\"}" },
        { "/auth/forgot-password", "{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}" },
        { "/auth/reset-password", "{\"token\":\"a\",\"token\":\"b\",\"newPassword\":\"a brand new passphrase\"}" },
        { "/auth/login", "{\"username\":\"a\",\"password\":\"x\",\"extra\":1,\"extra\":2}" },
    };

    [Theory]
    [MemberData(nameof(DuplicateKeys))]
    public async Task A_body_with_a_duplicate_key_is_400_invalid_request(string path, string body)
    {
        using var response = await PostAsync(path, body);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_login_naming_two_accounts_signs_in_neither()
    {
        var first = (string)(await _client.RegisterAsync())["username"]!;
        var second = (string)(await _client.RegisterAsync())["username"]!;

        foreach (var key in (string[])["username", "Username", "USERNAME"])
        {
            using var response = await PostAsync("/auth/login", $"{{\"username\":\"{first}\",\"{key}\":\"{second}\",\"password\":\"{RotorClient.Password}\",\"mode\":\"native\"}}");

            await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        }
    }

    [Fact]
    public async Task The_bearer_endpoints_refuse_duplicate_keys_too()
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var (path, body) in (ValueTuple<string, string>[])[
            ("/users/me/password", $"{{\"currentPassword\":\"{RotorClient.Password}\",\"newPassword\":\"a brand new passphrase\",\"newPassword\":\"another new passphrase\"}}"),
            ("/users/me/username", "{\"username\":\"first_name\",\"Username\":\"second_name\"}"),
        ])
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
            using var response = await _client.Http.SendAsync(request);

            await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        }
    }

    [Theory]
    [InlineData("/auth/login", "application/json; charset=utf-16")]
    [InlineData("/auth/login", "application/json; charset=UTF-16LE")]
    [InlineData("/auth/register", "application/json; charset=utf-16be")]
    [InlineData("/auth/refresh", "application/json; charset=utf-32")]
    [InlineData("/auth/refresh", "application/json; charset=\"utf-16\"")]
    [InlineData("/auth/login", "application/json; charset=iso-8859-1")]
    [InlineData("/auth/login", "application/json; charset=us-ascii")]
    [InlineData("/auth/login", "application/json; charset=utf8")]
    [InlineData("/auth/logout", "application/json; charset=utf-16")]
    [InlineData("/auth/reset-password", "application/json; charset=utf-16")]
    public async Task A_json_body_in_a_charset_other_than_utf8_is_415(string path, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"username\":\"a\",\"password\":\"b\",\"refreshToken\":\"c\"}")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _client.Http.SendAsync(request);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json;charset=Utf-8")]
    public async Task Utf8_is_accepted_in_any_case(string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{")) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _client.Http.SendAsync(request);

        // Read as JSON (and found malformed), not refused as the wrong media type.
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _client.Http.PostAsync(path, content);
    }

    private static string JsonSerializerBody(object value) => JsonContent.Create(value).ReadAsStringAsync().GetAwaiter().GetResult();

    /// <summary>Any problem: status, problem+json, a code and a detail.</summary>
    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace((string?)body["code"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)body["detail"]));
        return body;
    }

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
