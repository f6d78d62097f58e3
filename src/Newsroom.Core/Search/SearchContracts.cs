namespace Newsroom.Search;

/// <summary>
/// What is indexed of a public article: plain text only (no HTML), so that highlight offsets can point into
/// exactly the text a hit returns. Category and events are taxonomy keys, matched exactly by filters.
/// </summary>
public sealed record SearchDocument(
    string Id,
    string Slug,
    string Title,
    string Summary,
    string Body,
    string Category,
    IReadOnlyList<string> Events,
    DateTimeOffset PublishedAt)
{
    /// <summary>What a result shows besides the highlights (the listing teaser, as JSON): stored, never searched.</summary>
    public string? Teaser { get; init; }

    /// <summary>From then on the article is not found (an expiring notice), before the timer removes it from the index.</summary>
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>An article, or a page of a print issue: each search asks for one kind.</summary>
    public SearchKind Kind { get; init; }
}

/// <summary>What a document of the index is. Articles have no kind field in the index, so an index built before print pages needs no rewrite.</summary>
public enum SearchKind
{
    Article,

    /// <summary>A page of a print issue ("Báo in"): its text, the title, the periodical as its category.</summary>
    PrintPage,
}

public enum SearchSort
{
    /// <summary>Best match first, with a bounded boost for fresh articles (see <see cref="SearchRanking"/>).</summary>
    Relevance,

    /// <summary>Newest <see cref="SearchDocument.PublishedAt"/> first; every term still has to match.</summary>
    Newest,
}

/// <summary>
/// A reader's search. <see cref="Text"/> is taken as typed: words are all required, "quoted words" must
/// appear together in that order, and nothing else is syntax (no +, -, OR, wildcards). From/To are
/// inclusive instants on PublishedAt; the caller turns Vietnam dates into instants. <see cref="Categories"/>, when
/// given, are the category keys an article may have (a section and its sub-sections, as its listing shows them).
/// </summary>
public sealed record SearchQuery(
    string Text,
    IReadOnlyList<string>? Categories,
    string? Event,
    DateTimeOffset? From,
    DateTimeOffset? To,
    SearchSort Sort,
    int Limit,
    int Offset)
{
    /// <summary>Which kind of document to find (articles unless said).</summary>
    public SearchKind Kind { get; init; }
}

/// <summary>A span of the plain text returned beside it (UTF-16 offsets, as <see cref="string.Substring(int, int)"/> takes them).</summary>
public readonly record struct TextRange(int Start, int Length);

/// <summary>
/// One article found. <see cref="Title"/> is the indexed title the <see cref="TitleHighlights"/> point into,
/// returned so the offsets never depend on the caller holding the same string; <see cref="Snippet"/> is about
/// 200 characters of summary and body around the best match, starting on a word.
/// </summary>
public sealed record SearchHit(
    string Id,
    double Score,
    string Title,
    IReadOnlyList<TextRange> TitleHighlights,
    string Snippet,
    IReadOnlyList<TextRange> SnippetHighlights)
{
    /// <summary>The document's <see cref="SearchDocument.Teaser"/>.</summary>
    public string? Teaser { get; init; }
}

public sealed record SearchResults(IReadOnlyList<SearchHit> Hits, long Total)
{
    public static SearchResults Empty { get; } = new([], 0);
}

/// <summary>
/// The full-text index of public articles. Writes are idempotent so the indexer can replay them after a
/// crash; a search sees every write that completed before it started.
/// </summary>
public interface ISearchEngine
{
    /// <summary>Adds or replaces the documents by id.</summary>
    Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken);

    /// <summary>Removes the documents; ids that are not indexed are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Finds articles published at or before <paramref name="now"/>, so a scheduled article becomes
    /// findable at its time without another write. Never throws on what a reader typed: text without a
    /// searchable word finds nothing. Throws <see cref="BadRequestException"/> for a page out of range.
    /// </summary>
    Task<SearchResults> SearchAsync(SearchQuery query, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The id of every document in the index, so that a rebuild can remove what the tables no longer have.</summary>
    Task<IReadOnlyList<string>> IdsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// After a bulk load (a rebuild, an instance's first fill from the tables), puts the index in the shape searches are
    /// fastest on: the in-process engine merges its segments into one; the managed engine keeps its own storage.
    /// </summary>
    Task CompactAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What keeps documents other than articles in the index (the pages of print issues): caught up and rebuilt with the
/// articles by <see cref="ArticleSearch"/>, so an in-process index is filled with them too and a rebuild keeps them.
/// </summary>
public interface ISearchSource
{
    /// <summary>Whether a document id is one of this source's.</summary>
    bool Owns(string documentId);

    /// <summary>Indexes what changed since <paramref name="since"/> (everything, from <see cref="DateTimeOffset.MinValue"/>); how many records it synced.</summary>
    Task<int> CatchUpAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Indexes everything it has; the ids of the documents it wrote.</summary>
    Task<IReadOnlyCollection<string>> RebuildAsync(CancellationToken cancellationToken);

    /// <summary>Whether an indexed document of this source still belongs in the index (read again, for a rebuild's clean-up).</summary>
    Task<bool> KeepsAsync(string documentId, CancellationToken cancellationToken);
}
