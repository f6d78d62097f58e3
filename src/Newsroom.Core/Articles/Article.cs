using System.Text.Json.Serialization;

namespace Newsroom.Articles;

/// <summary>
/// Where an article is on its way through the desk: a reporter's draft, submitted for review ("chờ duyệt"),
/// returned to its author with a note ("trả lại"), approved by an editor, then scheduled or published by a
/// publisher, and perhaps unpublished, or expired ("hết hạn") when its <see cref="Article.ExpireAt"/> came.
/// See Desk/DeskWorkflow for who may move it where.
/// </summary>
public enum ArticleStatus
{
    Draft,
    Scheduled,
    Published,
    Unpublished,
    Submitted,
    Returned,
    Approved,
    Expired,
}

/// <summary>A job notice ("Thông tin tuyển dụng"): who is hiring, and until when applications are taken.</summary>
public sealed record JobNotice(string Organisation, DateTimeOffset Deadline);

/// <summary>
/// A legal document ("Văn bản pháp luật"): its number as written ("1666/QĐ-BHXH"), type ("Quyết định"), issuing
/// body, the day it was signed and, when known, the day it takes effect.
/// </summary>
public sealed record LegalDocument(string Number, string Type, string Issuer, DateTimeOffset SignedAt, DateTimeOffset? EffectiveAt)
{
    /// <summary>The document's PDF, when one is attached (through the same upload path as print issues).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public LegalAttachment? Attachment { get; init; }
}

/// <summary>
/// A legal document's PDF: the upload it is, its size and pages. Readers get <see cref="Url"/>, which redirects to a
/// short-lived address of the file.
/// </summary>
public sealed record LegalAttachment(string UploadId, long Bytes, int Pages)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Url { get; init; }
}

/// <summary>A dated correction notice ("Đính chính") attached to a published article.</summary>
public sealed record Correction(DateTimeOffset At, string Text);

/// <summary>A byline: "Nguyễn Văn An (Phó Trưởng Ban Dân vận Tỉnh ủy)".</summary>
public sealed record Author(string Name, string? Position = null);

/// <summary>
/// A photo as an article uses it: which photo, and the words printed under it. In responses it also
/// carries the photo's size, placeholder, dominant colour and renditions (srcset-ready); those are
/// filled in when read and never stored with the article.
/// </summary>
public sealed record PhotoRef(string PhotoId, string? Caption = null, string? Credit = null, string? Alt = null) : IPhotoDisplay
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Width { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Height { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Placeholder { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DominantColor { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<Newsroom.Photos.Rendition>? Renditions { get; init; }

    /// <summary>Only what an editor decides; display fields dropped.</summary>
    public PhotoRef Bare() => new(PhotoId, Caption, Credit, Alt);
}

/// <summary>The display fields a photo reference gains when read (see <see cref="PhotoRef"/>).</summary>
public interface IPhotoDisplay
{
    string PhotoId { get; }
    string? Caption { get; }
    string? Credit { get; }
    string? Alt { get; }
}

/// <summary>One block of an article body. The JSON carries a "type" discriminator; unknown types are rejected.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ParagraphBlock), "paragraph")]
[JsonDerivedType(typeof(HeadingBlock), "heading")]
[JsonDerivedType(typeof(ImageBlock), "image")]
[JsonDerivedType(typeof(QuoteBlock), "quote")]
[JsonDerivedType(typeof(VideoBlock), "video")]
public abstract record ArticleBlock;

public sealed record ParagraphBlock(string Text) : ArticleBlock;

public sealed record HeadingBlock(string Text) : ArticleBlock;

public sealed record ImageBlock(string PhotoId, string? Caption = null, string? Credit = null, string? Alt = null) : ArticleBlock, IPhotoDisplay
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Width { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Height { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Placeholder { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DominantColor { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<Newsroom.Photos.Rendition>? Renditions { get; init; }

    public ImageBlock Bare() => new(PhotoId, Caption, Credit, Alt);
}

public sealed record QuoteBlock(string Text, string? Source = null) : ArticleBlock;

/// <summary>An embedded clip: the player URL (https) and, optionally, its title and provider.</summary>
public sealed record VideoBlock(string Url, string? Title = null, string? Provider = null) : ArticleBlock;

/// <summary>An article as it is stored: the whole document, every state.</summary>
public sealed record Article
{
    public required string Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string Summary { get; init; } = "";
    public IReadOnlyList<ArticleBlock> Blocks { get; init; } = [];
    public IReadOnlyList<Author> Authors { get; init; } = [];
    /// <summary>Slug of the category (chuyên mục).</summary>
    public required string Category { get; init; }
    /// <summary>Slugs of the running stories (sự kiện) the article belongs to.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    /// <summary>Keys of the themed columns (chuyên đề) the article belongs to.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public PhotoRef? LeadPhoto { get; init; }
    public ArticleStatus Status { get; init; } = ArticleStatus.Draft;
    /// <summary>When a scheduled article goes live.</summary>
    public DateTimeOffset? PublishAt { get; init; }
    /// <summary>The time readers see, and the order of every listing.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Slugs the article had before a title change; they keep resolving to it.</summary>
    public IReadOnlyList<string> PreviousSlugs { get; init; } = [];

    /// <summary>Who created it in the desk (its author for "author=me" and for a reporter's right to edit it).</summary>
    public Identity.DeskActor? Owner { get; init; }

    /// <summary>The version number: 1 when created, one more with every save; each is kept (revisions).</summary>
    public int Revision { get; init; }

    /// <summary>The note of the editor who last returned it, while it is returned.</summary>
    public string? ReturnNote { get; init; }

    public IReadOnlyList<Correction> Corrections { get; init; } = [];

    /// <summary>
    /// When the article leaves every listing, the homepage, feeds and search, and its URL answers 410 Gone; a job
    /// notice's deadline unless the editor says otherwise. Null: it never expires.
    /// </summary>
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>Set when the article is a job notice.</summary>
    public JobNotice? Job { get; init; }

    /// <summary>Set when the article is a legal document.</summary>
    public LegalDocument? Legal { get; init; }

    /// <summary>Readers see an article once it is published (or scheduled) and its time has come, until it expires.</summary>
    public bool IsPublicAt(DateTimeOffset now) =>
        Status is ArticleStatus.Published or ArticleStatus.Scheduled
        && PublishedAt is { } publishedAt
        && publishedAt <= now
        && !IsExpiredAt(now);

    /// <summary>Its expiry time has come (whether or not the timer has recorded it as expired yet).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => Status == ArticleStatus.Expired || ExpireAt is { } expireAt && expireAt <= now;
}
