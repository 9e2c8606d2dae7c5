using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Rotor.Http;

/// <summary>Reads a bounded JSON request body, turning every way it can be wrong into a problem answer.</summary>
internal static class JsonBody
{
    public static async ValueTask<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int maxBytes, bool optional = false)
        where T : class
    {
        if (!BoundedBody.IsPresent(request))
        {
            return optional ? (null, null) : (null, RotorProblems.Create(RotorErrorCodes.InvalidRequest, "The request has no body; send a JSON object."));
        }

        if (!IsUtf8Json(request))
        {
            return (null, RotorProblems.Create(RotorErrorCodes.UnsupportedMediaType));
        }

        using var body = await BoundedBody.ReadAsync(request, maxBytes);
        if (body is null)
        {
            return (null, TooLarge(maxBytes));
        }

        try
        {
            // The serializer refuses a bound property given twice (in any letter case) but skips unknown
            // members unread; this pass refuses any key given twice, so no body reads two ways.
            if (HasDuplicateKey(body.Span))
            {
                return (null, RotorProblems.Create(RotorErrorCodes.InvalidRequest));
            }

            var value = JsonSerializer.Deserialize(body.Span, type);
            return value is null
                ? (null, RotorProblems.Create(RotorErrorCodes.InvalidRequest, "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException)
        {
            return (null, RotorProblems.Create(RotorErrorCodes.InvalidRequest));
        }
    }

    /// <summary>
    /// Whether an object anywhere in <paramref name="json"/> names a key twice (compared exactly, after
    /// unescaping, as <see cref="JsonDocument"/> does with duplicates refused). One forward pass of the reader,
    /// with no document built: the serializer parses the body anyway. Malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    internal static bool HasDuplicateKey(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        List<byte[]?>? keys = null; // the keys of the open objects, each object's after a null
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    (keys ??= new(4)).Add(null);
                    break;
                case JsonTokenType.EndObject:
                    var start = keys!.LastIndexOf(null);
                    keys.RemoveRange(start, keys.Count - start);
                    break;
                case JsonTokenType.PropertyName:
                    var key = reader.ValueIsEscaped ? Unescape(ref reader) : reader.ValueSpan;
                    for (var i = keys!.Count - 1; keys[i] is { } seen; i--)
                    {
                        if (key.SequenceEqual(seen))
                        {
                            return true;
                        }
                    }

                    keys.Add(key.ToArray());
                    break;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> Unescape(ref Utf8JsonReader reader)
    {
        var unescaped = new byte[reader.ValueSpan.Length];
        return unescaped.AsSpan(0, reader.CopyString(unescaped));
    }

    /// <summary>
    /// JSON media type, with no charset or UTF-8 (RFC 8259 §8.1). The reader decodes UTF-8 only; a body declared
    /// in another charset would be misread rather than converted, so it is refused instead.
    /// </summary>
    public static bool IsUtf8Json(HttpRequest request)
    {
        if (!request.HasJsonContentType())
        {
            return false;
        }

        return !MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.Charset.HasValue
            || HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        RotorProblems.Create(RotorErrorCodes.RequestTooLarge, $"The body is larger than {maxBytes} bytes.");
}
