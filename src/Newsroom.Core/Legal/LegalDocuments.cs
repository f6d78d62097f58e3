using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Text;
using Newsroom.Time;

namespace Newsroom.Legal;

/// <summary>
/// The legal-documents column ("Văn bản pháp luật"): a legal document is an article that carries its
/// <see cref="LegalDocument"/> record (number as written, type, issuing body, signed and effective dates), so it
/// goes through the desk, history, listings, feeds and search like every article. Beside its section's listing it
/// is listed under the whole column and under its type, its issuing body and the year it was signed, and each
/// combination of them, which is what GET /api/legal-documents filters on.
/// </summary>
public static class LegalDocuments
{
    public const int MaxNumber = 60;
    public const int MaxIssuer = 200;

    /// <summary>The kinds of document, by the slug a filter names them with.</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = new[]
    {
        "Hiến pháp", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư",
        "Thông tư liên tịch", "Công văn", "Kế hoạch", "Thông báo", "Hướng dẫn", "Công điện",
    }.ToDictionary(t => VietnameseText.Slugify(t), t => t, StringComparer.Ordinal);

    /// <summary>
    /// The listing of the documents matching a filter: the whole column, or those of a type, an issuing body, a year
    /// signed, or any combination of them. Each document is listed under every combination it matches (eight rows),
    /// so every filter is one range read of one partition, paged like any listing.
    /// </summary>
    public static string ListingKey(string? typeSlug, string? issuerSlug, int? year)
    {
        var key = new System.Text.StringBuilder("legal");
        if (typeSlug is not null)
        {
            key.Append("|type:").Append(typeSlug);
        }
        if (issuerSlug is not null)
        {
            key.Append("|issuer:").Append(issuerSlug);
        }
        if (year is { } y)
        {
            key.Append("|year:").Append(y.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return key.ToString();
    }

    /// <summary>The year a document was signed, in Vietnam time.</summary>
    public static int Year(LegalDocument document) => document.SignedAt.ToVietnam().Year;

    /// <summary>The listings a legal document is in besides its section's: every combination of its type, issuer and year.</summary>
    public static IEnumerable<string> ListingKeys(LegalDocument document)
    {
        var type = VietnameseText.Slugify(document.Type);
        var issuer = VietnameseText.Slugify(document.Issuer);
        var year = Year(document);
        for (var mask = 0; mask < 8; mask++)
        {
            yield return ListingKey((mask & 1) != 0 ? type : null, (mask & 2) != 0 ? issuer : null, (mask & 4) != 0 ? year : null);
        }
    }

    /// <summary>The record as readers get it: with the address of its PDF, if one is attached.</summary>
    public static LegalDocument? ForReaders(LegalDocument? document, string slug) =>
        document?.Attachment is { } attachment ? document with { Attachment = attachment with { Url = $"/api/legal-documents/{slug}/pdf" } } : document;

    /// <summary>What search reads of it besides the article's text: the number as written, its type and issuer.</summary>
    public static string SearchText(LegalDocument document) => $"{document.Number} {document.Type} {document.Issuer}";

    /// <summary>Checks an editor's legal record, naming each field under "legal."; returns it trimmed, with the type's canonical name.</summary>
    public static LegalDocument? Check(Publishing.LegalInput? input, Action<string, string> add)
    {
        if (input is null)
        {
            return null;
        }
        var number = input.Number?.Trim();
        if (string.IsNullOrEmpty(number) || number.Length > MaxNumber || number.Any(char.IsControl) || !number.Any(char.IsDigit))
        {
            add("legal.number", $"The document number as written on it, e.g. \"1666/QĐ-BHXH\": 1 to {MaxNumber} characters with at least one digit.");
        }
        var type = input.Type is { } t ? Types.GetValueOrDefault(VietnameseText.Slugify(t)) : null;
        if (type is null)
        {
            add("legal.type", $"One of: {string.Join(", ", Types.Values)}; got '{input.Type}'.");
        }
        var issuer = input.Issuer?.Trim();
        if (string.IsNullOrEmpty(issuer) || issuer.Length > MaxIssuer || issuer.Any(char.IsControl) || VietnameseText.Slugify(issuer).Length == 0)
        {
            add("legal.issuer", $"The issuing body, e.g. \"UBND tỉnh Thái Nguyên\": 1 to {MaxIssuer} characters.");
        }
        if (input.SignedAt is not { } signedAt)
        {
            add("legal.signedAt", "Required: the date it was signed, e.g. \"2026-11-20\" or \"2026-11-20T00:00:00+07:00\".");
            return null;
        }
        if (input.EffectiveAt is { } effectiveAt && effectiveAt < signedAt)
        {
            add("legal.effectiveAt", "A document takes effect on or after the day it is signed.");
        }
        return number is null || type is null || issuer is null ? null : new LegalDocument(number, type, issuer, signedAt, input.EffectiveAt);
    }
}
