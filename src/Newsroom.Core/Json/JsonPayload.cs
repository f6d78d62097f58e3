using System.Security.Cryptography;

namespace Newsroom.Json;

/// <summary>
/// A response body serialized once, with its strong entity tag (a hash of the exact bytes), so it can be
/// cached and served many times and revalidated with If-None-Match.
/// </summary>
public sealed class JsonPayload
{
    private JsonPayload(byte[] body, string etag)
    {
        Body = body;
        ETag = etag;
    }

    public byte[] Body { get; }

    /// <summary>The quoted strong entity tag, e.g. "\"q2x…\"".</summary>
    public string ETag { get; }

    public static JsonPayload From<T>(T value) => FromBytes(NewsroomJson.SerializeToUtf8Bytes(value));

    public static JsonPayload FromBytes(byte[] body) => new(body, ComputeETag(body));

    public static string ComputeETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_') + "\"";
    }
}
