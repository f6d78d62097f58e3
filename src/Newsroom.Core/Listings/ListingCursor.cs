using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Newsroom.Listings;

/// <summary>
/// Opaque continuation cursors: the listing they belong to and the last row key served, with an HMAC tag
/// so a cursor that was cut, edited or taken from another listing is refused with 400 rather than
/// silently serving something else. The tag guards integrity, not secrecy: the server re-applies every
/// visibility rule to the page it reads, so even a forged cursor can only show what is public.
/// </summary>
public static class ListingCursor
{
    private const byte Version = 1;
    private const int TagLength = 16;
    private static readonly byte[] Key = "newsroom/listing-cursor/v1"u8.ToArray();

    public static string Encode(string listingKey, string lastRowKey)
    {
        var payload = Encoding.UTF8.GetBytes(listingKey + "\n" + lastRowKey);
        var token = new byte[1 + payload.Length + TagLength];
        token[0] = Version;
        payload.CopyTo(token, 1);
        Tag(token.AsSpan(0, 1 + payload.Length)).CopyTo(token.AsSpan(1 + payload.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The last row key served, or a <see cref="BadRequestException"/> saying what is wrong.</summary>
    public static string Decode(string cursor, string listingKey)
    {
        const string Advice = "Pass back the nextCursor value of the previous page unchanged, or omit cursor to start from the newest.";
        if (cursor.Length > 512 || !Base64Url.IsValid(cursor))
        {
            throw new BadRequestException($"The cursor is not valid. {Advice}");
        }
        var token = Base64Url.DecodeFromChars(cursor);
        if (token.Length <= 1 + TagLength || token[0] != Version
            || !CryptographicOperations.FixedTimeEquals(Tag(token.AsSpan(0, token.Length - TagLength)), token.AsSpan(token.Length - TagLength)))
        {
            throw new BadRequestException($"The cursor is not valid (damaged or edited). {Advice}");
        }
        var payload = Encoding.UTF8.GetString(token, 1, token.Length - 1 - TagLength);
        var separator = payload.IndexOf('\n', StringComparison.Ordinal);
        if (separator < 0 || separator == payload.Length - 1 || payload[..separator] != listingKey)
        {
            throw new BadRequestException($"The cursor belongs to another listing. {Advice}");
        }
        return payload[(separator + 1)..];
    }

    private static byte[] Tag(ReadOnlySpan<byte> data) => HMACSHA256.HashData(Key, data)[..TagLength];
}
