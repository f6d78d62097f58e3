using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Taxonomy;

namespace Newsroom.Reading;

public sealed record CategoryRef(string Slug, string Name);

public sealed record EventRef(string Slug, string Name);

public sealed record ColumnRef(string Slug, string Name);

/// <summary>A teaser as readers get it: the stored teaser with the category's name resolved.</summary>
public sealed record TeaserView(
    string Id,
    string Slug,
    string Title,
    string Summary,
    DateTimeOffset PublishedAt,
    CategoryRef Category,
    PhotoRef? LeadPhoto)
{
    /// <summary>Who is hiring and until when, on a job notice.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JobNotice? Job { get; init; }

    /// <summary>Number, type, issuer and dates, on a legal document.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public LegalDocument? Legal { get; init; }

    public static TeaserView From(Teaser teaser, TaxonomySnapshot taxonomy) => new(
        teaser.Id, teaser.Slug, teaser.Title, teaser.Summary, teaser.PublishedAt,
        ReaderViews.Category(teaser.Category, taxonomy), teaser.LeadPhoto)
    {
        Job = teaser.Job,
        Legal = Newsroom.Legal.LegalDocuments.ForReaders(teaser.Legal, teaser.Slug),
    };
}

/// <summary>The public article: the story, its byline and, for the page around it, related teasers.</summary>
public sealed record ArticleView(
    string Id,
    string Slug,
    string Title,
    string Summary,
    IReadOnlyList<ArticleBlock> Blocks,
    IReadOnlyList<Author> Authors,
    CategoryRef Category,
    IReadOnlyList<EventRef> Events,
    IReadOnlyList<string> Tags,
    PhotoRef? LeadPhoto,
    DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<TeaserView> SameEvent,
    IReadOnlyList<TeaserView> OtherNews)
{
    /// <summary>Correction notices ("Đính chính"), oldest first.</summary>
    public IReadOnlyList<Correction> Corrections { get; init; } = [];

    /// <summary>The themed columns (chuyên đề) it belongs to.</summary>
    public IReadOnlyList<ColumnRef> Columns { get; init; } = [];

    /// <summary>The article's page on the public site (its canonical URL, schema.org NewsArticle url/mainEntityOfPage).</summary>
    public Uri? Url { get; init; }

    /// <summary>The paper, as schema.org NewsArticle publisher (name, url, logo).</summary>
    public Publisher? Publisher { get; init; }

    /// <summary>When it leaves the site (schema.org expires; a job notice's validThrough).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>Who is hiring and until when, on a job notice (schema.org JobPosting hiringOrganization, validThrough).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JobNotice? Job { get; init; }

    /// <summary>Number, type, issuer and dates, on a legal document (schema.org Legislation).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public LegalDocument? Legal { get; init; }
}

/// <summary>The newspaper as the publisher of its articles.</summary>
public sealed record Publisher(string Name, Uri Url, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Uri? Logo);

/// <summary>One page of a listing; nextCursor is null on the last page.</summary>
public sealed record ListingPage(IReadOnlyList<TeaserView> Items, string? NextCursor);

internal static class ReaderViews
{
    /// <summary>A category by its key, as readers see it: its current public slug and name.</summary>
    public static CategoryRef Category(string key, TaxonomySnapshot taxonomy) =>
        taxonomy.Categories.TryGetValue(key, out var c) ? new(c.Slug, c.Name) : new(key, key);

    public static EventRef Event(string key, TaxonomySnapshot taxonomy) =>
        taxonomy.Events.TryGetValue(key, out var e) ? new(e.Slug, e.Name) : new(key, key);

    public static ColumnRef Column(string key, TaxonomySnapshot taxonomy) =>
        taxonomy.Columns.TryGetValue(key, out var c) ? new(c.Slug, c.Name) : new(key, key);
}
