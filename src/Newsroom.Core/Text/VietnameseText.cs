using System.Globalization;
using System.Text;

namespace Newsroom.Text;

/// <summary>
/// Vietnamese text handling: folding diacritics to ASCII and making URL slugs.
/// Vietnamese stacks up to two marks on a base letter (ệ = e + circumflex + dot below), and đ/Đ is a
/// separate letter that Unicode does not decompose, so it is mapped by hand.
/// </summary>
public static class VietnameseText
{
    public const int DefaultSlugMaxLength = 80;

    /// <summary>Removes every combining mark and maps đ/Đ to d/D; keeps case and everything else.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            switch (c)
            {
                case 'đ': builder.Append('d'); break;
                case 'Đ': builder.Append('D'); break;
                default:
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// "Đắk Lắk: Mùa cà phê 2026" → "dak-lak-mua-ca-phe-2026". Lower-case ASCII letters and digits joined by
    /// single hyphens, capped at <paramref name="maxLength"/> on a word boundary. Empty when nothing is left.
    /// </summary>
    public static string Slugify(string text, int maxLength = DefaultSlugMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var folded = Fold(text);
        var builder = new StringBuilder(folded.Length);
        var pendingHyphen = false;
        foreach (var c in folded)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }
                pendingHyphen = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }

        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }

        // Cut at the last word boundary that fits; a single over-long word is cut hard.
        var cut = builder.ToString(0, maxLength + 1).LastIndexOf('-');
        return cut > 0 ? builder.ToString(0, cut) : builder.ToString(0, maxLength);
    }

    /// <summary>True when <paramref name="slug"/> is already in the canonical form <see cref="Slugify"/> produces.</summary>
    public static bool IsSlug(string? slug) =>
        !string.IsNullOrEmpty(slug) && slug.Length <= 200 && Slugify(slug, 200) == slug;
}
