using System.Text;
using System.Text.Json;
using Rotor.Http;

namespace Rotor.Tests.Http;

/// <summary>The one-pass duplicate-key check refuses exactly what JsonDocument with duplicates refused does.</summary>
public sealed class JsonBodyDuplicateKeyTests
{
    private static readonly JsonDocumentOptions UniqueKeys = new() { AllowDuplicateProperties = false };

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("{\"a\":1,\"A\":2}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"\\u0062\":1,\"b\":2}")]
    [InlineData("{\"a\":{\"b\":1,\"c\":2},\"b\":3}")]
    [InlineData("{\"a\":{\"b\":1,\"b\":2}}")]
    [InlineData("{\"a\":[{\"b\":1},{\"b\":2}],\"c\":{}}")]
    [InlineData("{\"a\":[{\"b\":1,\"b\":2}]}")]
    [InlineData("{\"a\":{\"x\":1},\"b\":{\"x\":2},\"a\":3}")]
    [InlineData("[{\"a\":1},{\"a\":1,\"b\":{\"a\":2,\"c\":[1,{\"c\":1}]}}]")]
    [InlineData("{\"x\":{\"y\":{\"z\":1}},\"y\":{\"z\":2,\"y\":3}}")]
    [InlineData("{}")]
    [InlineData("\"text\"")]
    public void Agrees_with_JsonDocument(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bool expected;
        try
        {
            using (JsonDocument.Parse(bytes, UniqueKeys))
            {
            }

            expected = false;
        }
        catch (JsonException)
        {
            expected = true;
        }

        Assert.Equal(expected, JsonBody.HasDuplicateKey(bytes));
    }

    [Theory]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1}}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("")]
    public void Malformed_JSON_throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonBody.HasDuplicateKey(Encoding.UTF8.GetBytes(json)));
}
