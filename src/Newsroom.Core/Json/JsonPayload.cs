using System.Security.Cryptography;
using Newsroom.Http;

namespace Newsroom.Json;

/// <summary>
/// A response body serialized once, with its strong entity tag (a hash of the exact bytes), so it can be
/// cached and served many times and revalidated with If-None-Match.
/// </summary>
public sealed class JsonPayload
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private JsonPayload(byte[] body, string etag, string contentType)
    {
        Body = body;
        ETag = etag;
        ContentType = contentType;
    }

    public byte[] Body { get; }

    private byte[]? _brotli;
    private byte[]? _gzip;

    /// <summary>
    /// The body in <paramref name="coding"/>, compressed the first time it is asked for and kept with the payload,
    /// so a cached response is compressed once, not per request. A small body is never compressed.
    /// </summary>
    public (byte[] Body, ContentCoding Coding) Encoded(ContentCoding coding) => coding switch
    {
        _ when Body.Length < ContentCodings.MinimumBytes => (Body, ContentCoding.Identity),
        ContentCoding.Brotli => (_brotli ??= ContentCodings.Compress(Body, ContentCoding.Brotli), coding),
        ContentCoding.Gzip => (_gzip ??= ContentCodings.Compress(Body, ContentCoding.Gzip), coding),
        _ => (Body, ContentCoding.Identity),
    };

    /// <summary>JSON, or the XML of a feed or sitemap.</summary>
    public string ContentType { get; }

    /// <summary>The quoted strong entity tag, e.g. "\"q2x…\"".</summary>
    public string ETag { get; }

    public static JsonPayload From<T>(T value) => FromBytes(NewsroomJson.SerializeToUtf8Bytes(value));

    public static JsonPayload FromBytes(byte[] body) => new(body, ComputeETag(body), JsonContentType);

    /// <summary>A body of another media type (RSS, a sitemap), served and revalidated the same way.</summary>
    public static JsonPayload FromBytes(byte[] body, string contentType) => new(body, ComputeETag(body), contentType);

    public static string ComputeETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        // 18 bytes make 24 characters with no padding either way: the tags are the ones they always were.
        return "\"" + System.Buffers.Text.Base64Url.EncodeToString(hash[..18]) + "\"";
    }
}
