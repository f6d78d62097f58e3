namespace Newsroom.Publishing;

/// <summary>
/// The HTTP entity tag of a stored version: the table's ETag (weak-looking, with quotes and colons inside)
/// wrapped as a strong, opaque tag, so clients can echo it in If-Match as is.
/// </summary>
public static class ArticleETag
{
    public static string ToHttp(string storeETag) => "\"" + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(storeETag)) + "\"";

    /// <summary>The store ETag an If-Match names, or "" when it is not one of ours (never equal to a real one).</summary>
    public static string ToStore(string httpETag)
    {
        var tag = httpETag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }
        tag = tag.Trim('"');
        return System.Buffers.Text.Base64Url.IsValid(tag) ? System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(tag)) : "";
    }
}
