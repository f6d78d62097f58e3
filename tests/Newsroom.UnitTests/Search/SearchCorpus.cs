using Microsoft.Extensions.Logging.Abstractions;
using Newsroom.Search;

namespace Newsroom.UnitTests.Search;

/// <summary>A small fixed set of articles, each written to test one thing, indexed once in memory.</summary>
public sealed class SearchCorpus : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Ordinary news text that contains none of the words the tests search for.</summary>
    public const string Filler =
        "Người dân phấn khởi vì mùa màng bội thu, các hợp tác xã mở rộng sản xuất. "
        + "Nhiều gia đình đã có thu nhập ổn định nhờ trồng cây ăn quả. ";

    public static readonly IReadOnlyList<SearchDocument> Documents =
    [
        Doc("tn", "Thái Nguyên đẩy mạnh cải cách hành chính",
            "Tỉnh Thái Nguyên triển khai nhiều giải pháp CCHC trong năm 2026.",
            "UBND tỉnh chỉ đạo các sở, ngành thực hiện tốt công tác dân vận khéo trong cải cách hành chính.",
            "thoi-su", ["cchc-2026"], days: 2),
        Doc("far", "Hội nghị tổng kết công tác năm",
            "Các đại biểu thảo luận sôi nổi.",
            "Ông Thái phát biểu khai mạc hội nghị. " + Repeat(Filler, 4) + "Bà Nguyên trình bày tham luận về đề án.",
            "thoi-su", [], days: 2),
        Doc("road", "Sửa chữa đường giao thông nông thôn",
            "Huyện nâng cấp các tuyến đường liên xã.",
            "Đường liên xã được trải nhựa, bà con đi lại thuận tiện hơn.",
            "kinh-te", [], days: 10),
        Doc("traffic-body", "Huyện vùng cao đổi thay",
            "Bộ mặt nông thôn khởi sắc.",
            Filler + "Hệ thống giao thông được đầu tư đồng bộ.",
            "kinh-te", [], days: 1),
        Doc("bhxh", "Hướng dẫn thực hiện chính sách bảo hiểm",
            "Người lao động cần nắm rõ quy định mới.",
            Filler + "Theo Quyết định 1666/QĐ-BHXH của Bảo hiểm xã hội Việt Nam, hồ sơ được nộp trực tuyến.",
            "xa-hoi", [], days: 5),
        Doc("danvan", "Phong trào thi đua ở cơ sở",
            "Mô hình hay được nhân rộng.",
            "Mô hình “dân vận khéo” được nhân rộng ở các xã vùng sâu.",
            "xa-hoi", ["cchc-2026"], days: 20),
        Doc("danvan-scattered", "Cán bộ cơ sở",
            "Gương người tốt việc tốt.",
            "Cán bộ khéo léo trong công tác dân vận ở thôn bản.",
            "xa-hoi", [], days: 3),
        Doc("ha-exact", "Chợ phiên Hà Quảng", "Phiên chợ vùng cao.", "Bà con xuống chợ từ sớm.", "van-hoa", [], days: 30),
        Doc("ha-dot", "Chợ phiên Hạ Lang", "Phiên chợ vùng cao.", "Bà con xuống chợ từ sớm.", "van-hoa", [], days: 30),
        Doc("ha-plain", "Chợ phiên Ha Quang", "Phiên chợ vùng cao.", "Bà con xuống chợ từ sớm.", "van-hoa", [], days: 30),
        Doc("adj-together", "Đoàn công tác về cơ sở", "Làm việc với huyện.",
            "Ông Thái đến thăm. " + Repeat(Filler, 4) + "Đoàn công tác tỉnh Thái Nguyên làm việc với huyện về đề án.",
            "adj", [], days: 4),
        Doc("adj-apart", "Đoàn công tác về cơ sở", "Làm việc với huyện.",
            "Ông Thái đến thăm. " + Repeat(Filler, 4) + "Đoàn công tác do ông Nguyên dẫn đầu làm việc với huyện về đề án.",
            "adj", [], days: 4),
        .. Enumerable.Range(1, 7).Select(i => Doc($"lh{i}", $"Lễ hội truyền thống số {i}", "Du khách đông vui.", "Nhiều hoạt động văn hóa.", "le-hoi", [], days: 40 + i)),
        Doc("long", "Bản tin tổng hợp",
            "Điểm tin trong tuần.",
            Repeat(Filler, 6) + "Cuối tuần, lễ khánh thành cầu Bến Tượng diễn ra trang trọng. " + Repeat(Filler, 6),
            "thoi-su", [], days: 6),
    ];

    public LuceneSearchEngine Engine { get; } = new(null, NullLogger<LuceneSearchEngine>.Instance);

    public SearchCorpus() => Engine.UpsertAsync(Documents, CancellationToken.None).GetAwaiter().GetResult();

    public void Dispose() => Engine.Dispose();

    public static SearchDocument Doc(string id, string title, string summary, string body, string category, string[] events, double days) =>
        new(id, id, title, summary, body, category, events, Now - TimeSpan.FromDays(days));

    public static SearchQuery Query(string text, SearchSort sort = SearchSort.Relevance, string? category = null, string? @event = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 20, int offset = 0) =>
        new(text, category is null ? null : [category], @event, from, to, sort, limit, offset);

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
