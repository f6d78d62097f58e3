using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Newsroom.Search;

/// <summary>What every search endpoint reads from its query string the same way: the text, the page size and the cursor.</summary>
public static class SearchParameters
{
    public const int MinQueryLength = 2;
    public const int MaxQueryLength = 100;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    /// <summary>The text as typed, trimmed: 2 to 100 characters, or a 400 saying so.</summary>
    public static string Text(string? q)
    {
        var text = (q ?? "").Trim();
        return text.Length is < MinQueryLength or > MaxQueryLength
            ? throw new BadRequestException($"q must be {MinQueryLength} to {MaxQueryLength} characters after trimming (it has {text.Length}).")
            : text;
    }

    public static SearchSort Sort(string? sort) => (sort ?? "relevance").ToLowerInvariant() switch
    {
        "relevance" => SearchSort.Relevance,
        "newest" => SearchSort.Newest,
        _ => throw new BadRequestException($"sort '{sort}' must be relevance or newest."),
    };

    public static int Limit(string? limit) => string.IsNullOrEmpty(limit) ? DefaultLimit
        : int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n
        : throw new BadRequestException($"limit '{limit}' must be a whole number from 1 to {MaxLimit}.");

    /// <summary>The offset a cursor stands for (0 without one), or a 400 for a cursor this API did not give out.</summary>
    public static int Offset(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }
        if (cursor.Length <= 64 && Base64Url.IsValid(cursor)
            && Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)) is ['o', .. var digits]
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset < LuceneSearchEngine.MaxResultWindow)
        {
            return offset;
        }
        throw new BadRequestException("cursor is not one this API gave out; start again without it, then follow nextCursor.");
    }

    /// <summary>The cursor of the page after this one, or null on the last page (or the deepest one results go to).</summary>
    public static string? Next(int offset, int take, long total) =>
        offset + take < total && offset + take < LuceneSearchEngine.MaxResultWindow
            ? Base64Url.EncodeToString(Encoding.ASCII.GetBytes("o" + (offset + take).ToString(CultureInfo.InvariantCulture))) // opaque to clients
            : null;
}
