using System.Text;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

/// <summary>
/// Plausible Vietnamese articles in any number, the same for the same seed, so benchmarks and tests exercise
/// folding, phrases and number matching as real news would. Syllables follow a Zipf law (as word frequencies
/// do): a few hundred real ones at the head, then thousands built from onsets, rhymes and the five tone marks,
/// so a rare syllable is as rare as in real text and a query does not match the whole archive. Mixed in:
/// two- and three-syllable words and place names, abbreviations (UBND, CCHC) and document numbers
/// (1666/QĐ-BHXH). The text is nonsense; its statistics (syllable reuse, lengths, marks) are what matter.
/// </summary>
public static class SyntheticArticles
{
    public static readonly string[] Categories =
        ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "the-thao", "giao-duc", "suc-khoe", "phap-luat"];

    public static readonly string[] Events = Enumerable.Range(1, 20).Select(i => $"su-kien-{i}").ToArray();

    /// <summary>Single syllables, most with marks (đ and ư/ơ included), as they occur in provincial news.</summary>
    public static readonly string[] Syllables =
    [
        "anh", "ánh", "bà", "bản", "bảo", "bình", "bộ", "các", "cán", "cao", "cầu", "chỉ", "chính", "cho", "chợ",
        "chức", "có", "công", "cơ", "của", "cuộc", "cư", "dân", "dịch", "diễn", "dự", "dựng", "dục", "đã", "đạo",
        "đất", "đầu", "để", "đến", "địa", "điểm", "điều", "định", "đoàn", "đội", "đồng", "đơn", "được", "đường",
        "gia", "giải", "giao", "giáo", "hạ", "hà", "hàng", "hành", "hiện", "hình", "hoạt", "học", "hội", "hợp",
        "huyện", "hướng", "kế", "khai", "khánh", "khéo", "khu", "kiểm", "kinh", "lãnh", "làm", "lâm", "lễ", "lên",
        "liên", "lực", "lý", "mạnh", "mới", "môi", "mô", "một", "mùa", "năm", "nâng", "nghiệp", "nghị", "người",
        "nguyên", "nhà", "nhân", "nhiều", "nông", "nước", "phát", "phong", "phố", "phòng", "phục", "phường",
        "quản", "quan", "quốc", "quyết", "sản", "sinh", "sở", "sự", "tác", "tại", "tâm", "tân", "tế", "thái",
        "thành", "thanh", "thôn", "thông", "thực", "tỉnh", "tiêu", "tổ", "tổng", "trình", "triển", "trung",
        "trường", "tư", "tuyên", "văn", "vận", "việc", "viên", "vụ", "xã", "xây", "xuất", "y", "yêu", "ủy",
        "ban", "bắc", "nam", "đông", "tây", "sông", "núi", "rừng", "biển", "lúa", "chè", "cà", "phê", "mía",
        "thu", "hoạch", "giống", "cây", "trồng", "chăn", "nuôi", "bò", "lợn", "gà", "cá", "tôm", "điện", "lưới",
        "vốn", "ngân", "sách", "thuế", "giá", "thị", "doanh", "hộ", "nghèo", "an", "ninh", "trật", "tự", "cảnh",
        "sát", "phòng", "cháy", "chữa", "bão", "lũ", "lụt", "hạn", "mặn", "khô", "nắng", "mưa", "gió", "rét",
        "học", "sinh", "thi", "tốt", "nghiệp", "điểm", "chuẩn", "bệnh", "viện", "bác", "sĩ", "thuốc", "tiêm",
        "chủng", "vắc", "xin", "du", "lịch", "khách", "di", "tích", "lịch", "sử", "đền", "chùa", "đình", "làng",
        "nghề", "truyền", "thống", "bóng", "đá", "giải", "vô", "địch", "huy", "chương", "vàng", "bạc", "đồng",
        "pháp", "luật", "tòa", "án", "xét", "xử", "bị", "cáo", "tù", "giam", "điều", "tra", "khởi", "tố",
        "đảng", "bí", "thư", "chủ", "tịch", "phó", "giám", "đốc", "trưởng", "đại", "biểu", "cử", "tri", "tiếp",
        "dân", "vận", "khéo", "mặt", "trận", "tổ", "quốc", "thanh", "niên", "phụ", "nữ", "cựu", "chiến", "binh",
    ];

    public static readonly string[] Words =
    [
        "Thái Nguyên", "Hà Giang", "Đắk Lắk", "Lâm Đồng", "Hà Nội", "Phú Thọ", "Tuyên Quang", "Cao Bằng",
        "dân vận khéo", "cải cách hành chính", "nông thôn mới", "chuyển đổi số", "giao thông", "đầu tư công",
        "an sinh xã hội", "bảo hiểm y tế", "Ủy ban nhân dân", "Hội đồng nhân dân", "Mặt trận Tổ quốc",
    ];

    public static readonly string[] Abbreviations = ["UBND", "HĐND", "CCHC", "BHXH", "THPT", "MTTQ", "KT-XH", "ATGT", "NTM", "OCOP"];

    private static readonly string[] Onsets =
        ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"];

    private static readonly string[] Rhymes =
    [
        "a", "ai", "am", "an", "ang", "anh", "ao", "at", "ay", "ăm", "ăn", "ăng", "ăt", "âm", "ân", "âng", "ât", "âu", "ây",
        "e", "em", "en", "eo", "et", "ê", "êm", "ên", "ênh", "êt", "êu", "i", "ia", "im", "in", "inh", "it", "iu", "iêm",
        "iên", "iêt", "iêu", "o", "oa", "oai", "oan", "oang", "oanh", "oc", "oi", "om", "on", "ong", "ot", "ô", "ôi", "ôm",
        "ôn", "ông", "ôt", "ơ", "ơi", "ơm", "ơn", "ơt", "u", "ua", "ui", "um", "un", "ung", "uôi", "uôn", "uông", "uôt",
        "ut", "uy", "uyên", "ư", "ưa", "ưi", "ưng", "ươc", "ươi", "ương", "ươn", "ưt", "y",
    ];

    /// <summary>Grave, acute, hook above, tilde, dot below; the level tone has no mark.</summary>
    private static readonly string[] Tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];

    private static readonly Lazy<(string[] Syllables, double[] Cumulative)> Vocabulary = new(BuildVocabulary);

    private static readonly string[] DocumentKinds = ["QĐ-UBND", "QĐ-BHXH", "NQ-HĐND", "KH-UBND", "CT-TTg", "TB-VPCP"];

    public static string DocumentNumber(Random random) =>
        $"{random.Next(1, 3000)}/{DocumentKinds[random.Next(DocumentKinds.Length)]}";

    /// <summary>
    /// Articles published over three years before <paramref name="newest"/>, ids "a0".."a{count-1}": at random times,
    /// or <paramref name="inOrder"/>, oldest first and evenly spread, as a newsroom publishes them (the same texts).
    /// </summary>
    public static IEnumerable<SearchDocument> Generate(int count, int seed, DateTimeOffset newest, bool inOrder = false)
    {
        const int Span = 3 * 365 * 24 * 60;
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var title = Sentence(random, random.Next(8, 15), capitalize: true, terminate: false);
            var summary = Sentence(random, random.Next(25, 41), capitalize: true, terminate: true);
            var body = new StringBuilder();
            var paragraphs = random.Next(3, 7);
            for (var p = 0; p < paragraphs; p++)
            {
                var sentences = random.Next(2, 5);
                for (var s = 0; s < sentences; s++)
                {
                    body.Append(Sentence(random, random.Next(12, 30), capitalize: true, terminate: true)).Append(' ');
                }
                body.Length--;
                body.Append('\n');
            }
            var events = random.Next(4) switch
            {
                0 => new[] { Events[random.Next(Events.Length)] },
                1 => [Events[random.Next(Events.Length)], Events[random.Next(Events.Length)]],
                _ => [],
            };
            yield return new SearchDocument(
                $"a{i}", $"bai-{i}", title, summary, body.ToString().TrimEnd(),
                Categories[random.Next(Categories.Length)], events,
                newest - TimeSpan.FromMinutes(random.Next(0, Span) is var at && inOrder ? (count - 1 - i) * (long)Span / count : at));
        }
    }

    public static string Sentence(Random random, int length, bool capitalize, bool terminate)
    {
        var builder = new StringBuilder();
        for (var w = 0; w < length; w++)
        {
            if (w > 0)
            {
                builder.Append(random.Next(20) == 0 ? ", " : " ");
            }
            var roll = random.Next(1000);
            builder.Append(roll switch
            {
                < 15 => Words[random.Next(Words.Length)],
                < 30 => Abbreviations[random.Next(Abbreviations.Length)],
                < 35 => DocumentNumber(random),
                _ => ZipfSyllable(random),
            });
        }
        if (capitalize && builder.Length > 0)
        {
            builder[0] = char.ToUpperInvariant(builder[0]);
        }
        if (terminate)
        {
            builder.Append('.');
        }
        return builder.ToString();
    }

    private static string ZipfSyllable(Random random)
    {
        var (syllables, cumulative) = Vocabulary.Value;
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return syllables[Math.Min(index < 0 ? ~index : index, syllables.Length - 1)];
    }

    private static (string[], double[]) BuildVocabulary()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = Syllables.Where(seen.Add).ToList();
        var built = new List<string>();
        foreach (var onset in Onsets)
        {
            foreach (var rhyme in Rhymes)
            {
                foreach (var tone in Tones)
                {
                    var syllable = WithTone(onset + rhyme, onset.Length, tone);
                    if (seen.Add(syllable))
                    {
                        built.Add(syllable);
                    }
                }
            }
        }
        var shuffle = new Random(12345);
        ordered.AddRange(built.OrderBy(_ => shuffle.Next()));
        var cumulative = new double[ordered.Count];
        var total = 0.0;
        for (var rank = 0; rank < ordered.Count; rank++)
        {
            total += 1.0 / (rank + 1);
            cumulative[rank] = total;
        }
        return (ordered.ToArray(), cumulative);
    }

    /// <summary>The tone mark goes on the vowel that carries a hat or horn, else on the main vowel of the rhyme.</summary>
    private static string WithTone(string syllable, int rhymeStart, string tone)
    {
        if (tone.Length == 0)
        {
            return syllable;
        }
        var rhyme = syllable[rhymeStart..];
        var at = rhyme.LastIndexOfAny(['ă', 'â', 'ê', 'ô', 'ơ', 'ư']);
        if (at < 0)
        {
            var vowels = rhyme.Select((c, i) => (c, i)).Where(x => "aeiouy".Contains(x.c, StringComparison.Ordinal)).Select(x => x.i).ToList();
            at = vowels.Count > 1 && (rhyme.StartsWith("oa", StringComparison.Ordinal) || rhyme.StartsWith("uy", StringComparison.Ordinal) || rhyme.StartsWith("oe", StringComparison.Ordinal))
                ? vowels[1] : vowels[0];
        }
        var position = rhymeStart + at + 1;
        return (syllable[..position] + tone + syllable[position..]).Normalize(NormalizationForm.FormC);
    }
}
