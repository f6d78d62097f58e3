using Microsoft.Extensions.Options;
using Newsroom.Json;
using Newsroom.Reading;
using Newsroom.Taxonomy;
using Newsroom.Text;

namespace Newsroom.Legal;

/// <summary>
/// GET /api/legal-documents: the column's documents newest first, filtered by type, issuing body and year signed
/// (any combination, each one listing of its own), paged by cursor; and one document by slug, which is its article
/// page when the article is a legal document.
/// </summary>
public sealed class LegalDocumentReader(
    ListingReader listings,
    TaxonomyStore taxonomy,
    ArticleReader articles,
    IOptions<ReaderOptions> options)
{
    public async Task<JsonPayload> GetPageAsync(string? type, string? issuer, string? year, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var listingKey = LegalDocuments.ListingKey(TypeSlug(type), IssuerSlug(issuer), ListingReader.ParseYear(year));
        var take = ListingReader.ParseLimit(limit, options.Value);
        return await listings.PageAsync(listingKey, take, cursor, await taxonomy.GetAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The document under <paramref name="slug"/>: its article page if that article is a legal document, else 404.</summary>
    public async Task<ArticleLookup> GetAsync(string slug, CancellationToken cancellationToken)
    {
        var lookup = await articles.GetAsync(slug, cancellationToken);
        return lookup.MovedTo is not null || lookup.Legal is not null
            ? lookup
            : throw new NotFoundException($"'{slug}' is an article, not a legal document: read it at /api/articles/{slug}. GET /api/legal-documents lists the documents.");
    }

    private static string? TypeSlug(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }
        var slug = VietnameseText.Slugify(type);
        return LegalDocuments.Types.ContainsKey(slug)
            ? slug
            : throw new BadRequestException($"type must be one of {string.Join(", ", LegalDocuments.Types.Keys)} (or the name, e.g. \"Quyết định\"); got '{type}'.");
    }

    private static string? IssuerSlug(string? issuer)
    {
        if (string.IsNullOrWhiteSpace(issuer))
        {
            return null;
        }
        var slug = VietnameseText.Slugify(issuer);
        return slug.Length > 0 && issuer.Length <= LegalDocuments.MaxIssuer
            ? slug
            : throw new BadRequestException($"issuer must name an issuing body (its name or slug, e.g. \"ubnd-tinh-thai-nguyen\"); got '{issuer}'.");
    }
}
