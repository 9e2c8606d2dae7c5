using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Rotor.Http;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OpenApi;

/// <summary>
/// /openapi/v1.json against the real endpoints: it validates as OpenAPI 3.1, every route MapRotor maps is in it with its
/// method, every documented status is one the endpoint can answer with (and every one it can is documented), and the
/// answers seen on the wire carry documented statuses and codes.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private readonly RotorApp _app = new();
    private JsonObject _document = null!;
    private string _json = null!;

    public async Task InitializeAsync()
    {
        using var client = _app.Client();
        using var response = await client.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _json = await response.Content.ReadAsStringAsync();
        _document = JsonNode.Parse(_json)!.AsObject();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_document_validates_as_OpenAPI_3_1()
    {
        var result = OpenApiDocument.Parse(_json, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        Assert.StartsWith("3.1", (string)_document["openapi"]!, StringComparison.Ordinal);

        // The same reader finds what is wrong with a broken copy, so an empty error list means something.
        var broken = JsonNode.Parse(_json)!.AsObject();
        broken["paths"]!["/auth/login"]!["post"]!["responses"] = "none";
        Assert.NotEmpty(OpenApiDocument.Parse(broken.ToJsonString(), "json", new OpenApiReaderSettings()).Diagnostic!.Errors);
    }

    [Fact]
    public void Security_schemes_name_the_bearer_token_the_refresh_cookie_and_DPoP()
    {
        var schemes = _document["components"]!["securitySchemes"]!;
        Assert.Equal("http", (string)schemes["Bearer"]!["type"]!);
        Assert.Equal("bearer", (string)schemes["Bearer"]!["scheme"]!);
        Assert.Equal("apiKey", (string)schemes["RefreshCookie"]!["type"]!);
        Assert.Equal("cookie", (string)schemes["RefreshCookie"]!["in"]!);
        Assert.Equal(RotorClient.CookieName, (string)schemes["RefreshCookie"]!["name"]!);
        Assert.Equal("http", (string)schemes["DPoP"]!["type"]!);
        Assert.Equal("DPoP", (string)schemes["DPoP"]!["scheme"]!);

        Assert.Equal("Bearer", Operation("GET", "/auth/sessions")["security"]![0]!.AsObject().Single().Key);
        Assert.Equal("RefreshCookie", Operation("POST", "/auth/refresh")["security"]![0]!.AsObject().Single().Key);
        Assert.Null(Operation("POST", "/auth/login")["security"]);
    }

    [Fact]
    public void The_problem_schema_lists_every_error_code()
    {
        var codes = _document["components"]!["schemas"]!["RotorProblem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!).ToHashSet();
        var constants = typeof(RotorErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.Equal(constants.Order(), codes.Order());
    }

    [Fact]
    public void Every_mapped_Rotor_route_is_in_the_document_with_its_method()
    {
        var routes = RotorRouteCatalog.Find(_app.Services);
        Assert.Contains(routes, r => r.Name == "POST /auth/refresh");
        Assert.Contains(routes, r => r.Name == "GET /healthz/live");
        var paths = _document["paths"]!.AsObject();
        var missing = routes
            .Where(r => paths[r.Path]?[r.Method.ToLowerInvariant()] is null)
            .Select(r => $"{r.Name} is mapped but missing from /openapi/v1.json: map it in MapRotor's group with a handler method "
                + "returning typed Results<...> and .WithName(...); a request delegate needs .WithMetadata(new HttpMethodMetadata([...])) "
                + "and its answers (.Produces...); if it must stay out of the document, .ExcludeFromDescription().")
            .ToList();
        Assert.True(missing.Count == 0, string.Join('\n', missing));

        var outside = RotorRouteCatalog.Find(_app.Services, includeExcluded: true)
            .Where(r => r.Endpoint.Metadata.GetMetadata<RotorEndpointMetadata>() is null)
            .Select(r => $"{r.Name} has a Rotor handler but was mapped outside MapRotor's group: map it there, or add .WithMetadata(RotorEndpointMetadata.Instance), so it gets Rotor's filter, CORS and description.")
            .ToList();
        Assert.True(outside.Count == 0, string.Join('\n', outside));

        var bodies = routes
            .Where(r => r.Endpoint.Metadata.GetMetadata<RotorRequestBodyMetadata>() is { } body
                && paths[r.Path]?[r.Method.ToLowerInvariant()]?["requestBody"]?["content"]?["application/json"]?["schema"] is null)
            .Select(r => $"{r.Name} reads a JSON body but the document shows none.")
            .ToList();
        Assert.True(bodies.Count == 0, string.Join('\n', bodies));
        Assert.Equal("#/components/schemas/LoginRequest", (string?)Operation("POST", "/auth/login")["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal(true, (bool?)Operation("POST", "/auth/login")["requestBody"]!["required"]);
        Assert.NotEqual(true, (bool?)Operation("POST", "/auth/refresh")["requestBody"]!["required"]);

        var unnamed = routes.Where(r => r.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>() is null)
            .Select(r => $"{r.Name} has no name: add .WithName(\"Rotor...\") (the operationId).").ToList();
        Assert.True(unnamed.Count == 0, string.Join('\n', unnamed));
    }

    [Fact]
    public void Every_documented_status_is_one_the_endpoint_can_return_and_every_one_it_can_is_documented()
    {
        var mistakes = new List<string>();
        foreach (var route in RotorRouteCatalog.Find(_app.Services))
        {
            var possible = RotorRouteCatalog.PossibleStatuses(route, out var own);
            mistakes.AddRange(own);
            if (_document["paths"]![route.Path]?[route.Method.ToLowerInvariant()] is not JsonObject operation)
            {
                continue; // reported by the test above
            }

            var documented = operation["responses"]!.AsObject().Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            foreach (var status in documented.Where(s => !possible.ContainsKey(s)))
            {
                mistakes.Add($"{route.Name} documents {status}, which it cannot return (it can: {string.Join(", ", possible.Keys.Order())}). " +
                    "Remove the .Produces/.Errors that declares it, or return it.");
            }

            foreach (var (status, source) in possible.Where(p => !documented.Contains(p.Key)))
            {
                mistakes.Add($"{route.Name} can return {status} ({source}) but the document does not say so.");
            }

            foreach (var group in route.Errors.GroupBy(e => e.Status))
            {
                var listed = operation["responses"]![group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?["application/problem+json"]?["schema"]?["properties"]?["code"]?["enum"];
                var codes = listed?.AsArray().Select(c => (string)c!).ToHashSet() ?? [];
                foreach (var (code, _) in group.Where(e => !codes.Contains(e.Code)))
                {
                    mistakes.Add($"{route.Name} declares {code} ({group.Key}) but its {group.Key} answer in the document does not list it.");
                }
            }
        }

        Assert.True(mistakes.Count == 0, string.Join('\n', mistakes));
    }

    [Fact]
    public async Task Answers_on_the_wire_have_documented_statuses_and_codes()
    {
        using var client = _app.Client();
        var user = await client.RegisterAsync();
        var username = (string)user["username"]!;
        var session = await client.NativeLoginAsync(username);
        var seen = new List<(string Method, string Path, HttpResponseMessage Response)>
        {
            ("POST", "/auth/login", await client.LoginAsync(username, "wrong password, surely")),
            ("POST", "/auth/login", await client.Http.PostAsync("/auth/login", new StringContent("{", System.Text.Encoding.UTF8, "application/json"))),
            ("POST", "/auth/login", await client.Http.PostAsync("/auth/login", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"))),
            ("POST", "/auth/register", await client.Http.PostAsJsonAsync("/auth/register", new { username, email = username + "@example.com", password = RotorClient.Password })),
            ("POST", "/auth/refresh", await client.Http.PostAsync("/auth/refresh", null)),
            ("POST", "/auth/refresh", await client.RefreshNativeAsync("not-a-token")),
            ("POST", "/auth/refresh", await client.RefreshNativeAsync(session.RefreshToken)),
            ("GET", "/auth/sessions", await client.SendAsync(HttpMethod.Get, "/auth/sessions", null)),
            ("GET", "/auth/sessions", await client.SendAsync(HttpMethod.Get, "/auth/sessions", session.AccessToken)),
            ("DELETE", "/auth/sessions/{id}", await client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{Guid.NewGuid()}", session.AccessToken)),
            ("GET", "/users/me", await client.Http.GetAsync("/users/me")),
            ("GET", "/auth/availability", await client.Http.GetAsync("/auth/availability")),
            ("POST", "/auth/reset-password", await client.Http.PostAsJsonAsync("/auth/reset-password", new { token = "x", newPassword = RotorClient.Password })),
            ("GET", "/.well-known/jwks.json", await client.Http.GetAsync("/.well-known/jwks.json")),
            ("GET", "/healthz/ready", await client.Http.GetAsync("/healthz/ready")),
        };

        var mistakes = new List<string>();
        foreach (var (method, path, response) in seen)
        {
            using (response)
            {
                var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var documented = Operation(method, path)["responses"]![status];
                if (documented is null)
                {
                    mistakes.Add($"{method} {path} answered {status}, which the document does not list.");
                    continue;
                }

                if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                {
                    var code = (string)(await RotorClient.ReadJsonAsync(response))["code"]!;
                    var codes = documented["content"]?["application/problem+json"]?["schema"]?["properties"]?["code"]?["enum"]?.AsArray().Select(c => (string)c!);
                    if (codes is null || !codes.Contains(code))
                    {
                        mistakes.Add($"{method} {path} answered {status} {code}, which its {status} answer in the document does not list: declare it with .Errors(RotorErrorCodes...) where it is mapped.");
                    }
                }
            }
        }

        Assert.True(mistakes.Count == 0, string.Join('\n', mistakes));
    }

    private JsonObject Operation(string method, string path) =>
        _document["paths"]![path]?[method.ToLowerInvariant()]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{method} {path} is not in the document.");
}
