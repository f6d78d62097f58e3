namespace Newsroom.Search;

/// <summary>
/// Ranking constants both engines share, so a search ranks alike on the laptop and in Azure.
/// Relevance × recency: score = relevance × (1 + 1 / (1 + ageDays / 30)). A story published today counts
/// double, a month-old one 1.5×, a year-old one about 1.08×: among comparable matches the fresh one wins,
/// but no amount of freshness beats a clearly better match (an exact title hit, the exact diacritics).
/// </summary>
public static class SearchRanking
{
    public const float TitleWeight = 3f;
    public const float SummaryWeight = 2f;
    public const float BodyWeight = 1f;

    /// <summary>Extra weight of a word matched with the diacritics as typed, over its accent-free twin.</summary>
    public const float ExactFormBoost = 2f;

    /// <summary>Weight of two query syllables found side by side, in order (a Vietnamese word is a phrase of syllables).</summary>
    public const float AdjacencyBoost = 1.5f;

    public const double RecencyHalfLifeDays = 30;

    public static double RecencyBoost(double ageDays) => 1 + 1 / (1 + Math.Max(0, ageDays) / RecencyHalfLifeDays);
}
