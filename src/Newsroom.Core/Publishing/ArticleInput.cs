using System.Text.Json;
using System.Text.Json.Serialization;
using Newsroom.Articles;

namespace Newsroom.Publishing;

/// <summary>
/// What an editor sends to create or replace an article: the same field names and shapes the API returns,
/// so a client can GET, edit and PUT back. Category and events are referenced by slug: either "thoi-su" or
/// { "slug": "thoi-su", "name": … } (the name is ignored). Read-only fields that a GET returns (id, slug,
/// status, dates, related teasers) are accepted and ignored.
/// </summary>
public sealed record ArticleInput
{
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public IReadOnlyList<ArticleBlock>? Blocks { get; init; }
    public IReadOnlyList<Author>? Authors { get; init; }
    [JsonConverter(typeof(SlugReferenceConverter))]
    public string? Category { get; init; }
    [JsonConverter(typeof(SlugReferenceListConverter))]
    public IReadOnlyList<string>? Events { get; init; }
    [JsonConverter(typeof(SlugReferenceListConverter))]
    public IReadOnlyList<string>? Columns { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public PhotoRef? LeadPhoto { get; init; }

    /// <summary>When it leaves the public side (any offset); a job notice's deadline when not given.</summary>
    public DateTimeOffset? ExpireAt { get; init; }

    /// <summary>Makes the article a job notice: the organisation hiring and the application deadline.</summary>
    public JobInput? Job { get; init; }

    /// <summary>Makes the article a legal document: number, type, issuing body, signed and effective dates.</summary>
    public LegalInput? Legal { get; init; }

    /// <summary>Why, for the history ("restored revision 3", "fixed the caption"); not part of the article.</summary>
    public string? Note { get; init; }
}

/// <summary>A job notice as an editor sends it (the shape <see cref="JobNotice"/> is returned in).</summary>
public sealed record JobInput(string? Organisation, DateTimeOffset? Deadline);

/// <summary>A legal document's record as an editor sends it (the shape <see cref="LegalDocument"/> is returned in).</summary>
public sealed record LegalInput(string? Number, string? Type, string? Issuer, DateTimeOffset? SignedAt, DateTimeOffset? EffectiveAt = null);

/// <summary>The publish request: empty (now) or a time (any offset; none means Vietnam time), and an optional note.</summary>
public sealed record PublishInput(DateTimeOffset? PublishAt, string? Note = null);

/// <summary>The body of a desk transition (submit, return, approve, unpublish): a note, required to return.</summary>
public sealed record TransitionInput(string? Note);

/// <summary>A correction notice to attach to a published article.</summary>
public sealed record CorrectionInput(string? Text);

/// <summary>Reads "slug" or { "slug": "…" }.</summary>
public sealed class SlugReferenceConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return document.RootElement.TryGetProperty("slug", out var slug) && slug.ValueKind == JsonValueKind.String
                        ? slug.GetString()
                        : throw new JsonException("A reference needs a \"slug\".");
                }
            default:
                throw new JsonException("Expected a slug or an object with a \"slug\".");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

public sealed class SlugReferenceListConverter : JsonConverter<IReadOnlyList<string>>
{
    private static readonly SlugReferenceConverter Item = new();

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array of slugs.");
        }
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(Item.Read(ref reader, typeof(string), options) ?? throw new JsonException("An event reference is null."));
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToArray(), options);
}
