using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rotor.Http;

/// <summary>
/// Reads a request body into a pooled buffer, never more than a limit: the shared first step of every body format
/// Rotor reads (JSON on <c>/auth/*</c>, forms on <c>/oauth/*</c>), so the size rule is written once.
/// </summary>
internal sealed class BoundedBody : IDisposable
{
    private byte[] _buffer;

    private BoundedBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>How many bytes were read.</summary>
    public int Length { get; }

    /// <summary>The bytes read; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>
    /// Whether the request has a body at all. CanHaveBody knows HTTP/2 and chunked bodies, which carry no Content-Length.
    /// </summary>
    public static bool IsPresent(HttpRequest request)
    {
        var canHaveBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding");
        return request.ContentLength is not 0 && canHaveBody;
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (declared or actually sent).</summary>
    public static async ValueTask<BoundedBody?> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? maxBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    return new BoundedBody(buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
