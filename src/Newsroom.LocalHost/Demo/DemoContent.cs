using Newsroom.Articles;
using Newsroom.Taxonomy;

namespace Newsroom.LocalHost.Demo;

/// <summary>
/// The demo newspaper: sections, running stories, bylines and articles written for this project
/// (fictional people and places-in-spirit of a provincial paper). Article i is made deterministically from
/// the tables below, so seeding twice gives the same paper.
/// </summary>
internal static class DemoContent
{
    public static readonly Category[] Categories =
    [
        new("thoi-su", "Thời sự", null, 1, "Tin tức thời sự trong tỉnh và trong nước"),
        new("xay-dung-dang", "Xây dựng Đảng", "thoi-su", 1, "Công tác xây dựng Đảng, chính quyền và dân vận"),
        new("kinh-te", "Kinh tế", null, 2, "Sản xuất, kinh doanh, đầu tư và thị trường"),
        new("nong-nghiep", "Nông nghiệp", "kinh-te", 1, "Nông nghiệp, nông thôn và nông dân"),
        new("xa-hoi", "Xã hội", null, 3, "Giáo dục, y tế, lao động và đời sống"),
        new("van-hoa", "Văn hóa", null, 4, "Văn hóa, văn nghệ, du lịch và lễ hội"),
        new("the-thao", "Thể thao", null, 5, "Thể thao phong trào và thành tích cao"),
        new("phap-luat", "Pháp luật", null, 6, "An ninh trật tự, pháp luật và bạn đọc"),
        new("tuyen-dung", "Thông tin tuyển dụng", null, 7, "Thông báo tuyển dụng của cơ quan, đơn vị trong tỉnh"),
        new("van-ban-phap-luat", "Văn bản pháp luật", null, 8, "Văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành"),
    ];

    /// <summary>(id, number, type, issuer, title, days before seeding it was signed, days after signing it takes effect).</summary>
    private static readonly (string Id, string Number, string Type, string Issuer, string Title, int SignedDaysAgo, int? EffectiveAfter)[] LegalDocs =
    [
        ("demo-legal-1", "1666/QĐ-BHXH", "Quyết định", "Bảo hiểm xã hội Việt Nam", "Quyết định ban hành quy trình thu bảo hiểm xã hội, bảo hiểm y tế", 12, 0),
        ("demo-legal-2", "25/2026/QĐ-UBND", "Quyết định", "UBND tỉnh Thái Nguyên", "Quyết định quy định giá dịch vụ trông giữ xe trên địa bàn tỉnh", 30, 10),
        ("demo-legal-3", "4120/UBND-KT", "Công văn", "UBND tỉnh Thái Nguyên", "Công văn về tăng cường phòng, chống thiên tai mùa mưa lũ", 5, null),
        ("demo-legal-4", "18/KH-UBND", "Kế hoạch", "UBND tỉnh Thái Nguyên", "Kế hoạch chuyển đổi số năm 2026", 400, 0),
    ];

    public static int LegalDocumentCount => LegalDocs.Length;

    /// <summary>Legal document <paramref name="index"/>, published the day after it was signed.</summary>
    public static Article LegalDocument(int index, DateTimeOffset now)
    {
        var (id, number, type, issuer, title, daysAgo, effectiveAfter) = LegalDocs[index];
        var signedAt = new DateTimeOffset(now.ToOffset(TimeSpan.FromHours(7)).Date, TimeSpan.FromHours(7)).AddDays(-daysAgo);
        var publishedAt = Min(signedAt.AddDays(1).AddHours(9), now.AddMinutes(-90 - index));
        return new Article
        {
            Id = id,
            Slug = "",
            Title = title,
            Summary = $"{type} số {number} của {issuer}.",
            Blocks =
            [
                new ParagraphBlock($"Ngày {signedAt:dd/MM/yyyy}, {issuer} ban hành {type.ToLowerInvariant()} số {number}."),
                new ParagraphBlock("Văn bản gồm các điều khoản về phạm vi điều chỉnh, đối tượng áp dụng và tổ chức thực hiện."),
            ],
            Authors = [new Author("Ban Biên tập")],
            Category = "van-ban-phap-luat",
            Tags = ["van-ban-phap-luat"],
            Status = ArticleStatus.Published,
            PublishAt = publishedAt,
            PublishedAt = publishedAt,
            CreatedAt = publishedAt,
            UpdatedAt = publishedAt,
            Legal = new LegalDocument(number, type, issuer, signedAt, effectiveAfter is { } days ? signedAt.AddDays(days) : null),
        };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The links box ("Liên kết website") of the demo homepage.</summary>
    public static readonly Newsroom.Homepage.HomepageLink[] Links =
    [
        new("Cổng thông tin điện tử tỉnh", "https://portal.example.vn/"),
        new("Dịch vụ công trực tuyến", "https://dichvucong.example.vn/"),
        new("Đài Phát thanh và Truyền hình tỉnh", "https://truyenhinh.example.vn/"),
    ];

    /// <summary>(id, organisation, title, hours from seeding to the deadline) of the demo job notices.</summary>
    private static readonly (string Id, string Organisation, string Title, double DeadlineHours)[] JobNotices =
    [
        ("demo-job-1", "Trung tâm Y tế huyện Phú Lương", "Thông báo tuyển dụng viên chức y tế năm 2026", 6),
        ("demo-job-2", "Sở Giáo dục và Đào tạo", "Thông báo tuyển dụng giáo viên hợp đồng các trường vùng cao", 24 * 14),
    ];

    public static int JobNoticeCount => JobNotices.Length;

    /// <summary>
    /// Job notice <paramref name="index"/>, published an hour before <paramref name="now"/>: the first expires at its
    /// deadline a few hours after the demo starts (it leaves the site during the demo day), the second in two weeks.
    /// </summary>
    public static Article JobNotice(int index, DateTimeOffset now)
    {
        var (id, organisation, title, hours) = JobNotices[index];
        var deadline = now.AddHours(hours);
        var publishedAt = now.AddMinutes(-50 - index);
        return new Article
        {
            Id = id,
            Slug = "",
            Title = title,
            Summary = $"{organisation} thông báo tuyển dụng; hồ sơ nhận đến {deadline.ToOffset(TimeSpan.FromHours(7)):HH:mm 'ngày' dd/MM/yyyy}.",
            Blocks =
            [
                new ParagraphBlock($"{organisation} thông báo tuyển dụng năm 2026. Người dự tuyển nộp hồ sơ trực tiếp tại bộ phận tổ chức của đơn vị."),
                new HeadingBlock("Hồ sơ dự tuyển"),
                new ParagraphBlock("Phiếu đăng ký dự tuyển, bản sao văn bằng, chứng chỉ và giấy chứng nhận sức khỏe còn giá trị sử dụng."),
            ],
            Authors = [new Author("Phòng Tổ chức cán bộ", organisation)],
            Category = "tuyen-dung",
            Tags = ["tuyen-dung"],
            Status = ArticleStatus.Published,
            PublishAt = publishedAt,
            PublishedAt = publishedAt,
            CreatedAt = publishedAt.AddHours(-1),
            UpdatedAt = publishedAt,
            Job = new JobNotice(organisation, deadline),
            ExpireAt = deadline,
        };
    }

    public static readonly NewsEvent[] Events =
    [
        new("chuyen-doi-so", "Chuyển đổi số", "Chính quyền số, kinh tế số và xã hội số ở cơ sở"),
        new("phong-chong-thien-tai-2026", "Phòng, chống thiên tai 2026", "Mùa mưa lũ, ứng phó và khắc phục hậu quả"),
    ];

    /// <summary>Themed columns (chuyên đề), each with a banner from the demo photos.</summary>
    public static readonly ThemedColumn[] Columns =
    [
        new("hoc-va-lam-theo-guong-bac", "Học và làm theo gương Bác", "Những tấm gương bình dị làm theo lời Bác ở cơ sở", 1)
        {
            Banner = new PhotoRef(DemoPhotos.Id(2), "Học và làm theo gương Bác", null, "Banner chuyên đề Học và làm theo gương Bác"),
        },
        new("an-toan-giao-thong", "Vì an toàn giao thông", "Chung tay kiềm chế tai nạn giao thông", 2)
        {
            Banner = new PhotoRef(DemoPhotos.Id(5), "Vì an toàn giao thông", null, "Banner chuyên đề Vì an toàn giao thông"),
        },
    ];

    private static readonly Author[] Authors =
    [
        new("Hoàng Minh Đức", "Phóng viên"),
        new("Lương Thị Thu Hà", "Biên tập viên Ban Thời sự"),
        new("Đặng Quốc Việt", "Phó Trưởng Ban Dân vận Tỉnh ủy"),
        new("Trịnh Ngọc Diệp", "Phóng viên ảnh"),
        new("Vũ Đình Khải", "Cộng tác viên"),
    ];

    private static readonly string[] PhotoCredits = ["Ảnh: Trịnh Ngọc Diệp", "Ảnh: Hoàng Minh Đức", "Ảnh: Lê Hồng Nhung", "Ảnh: CTV"];

    /// <summary>(category, title, summary, events) for each hand-written article.</summary>
    private static readonly (string Category, string Title, string Summary, string[] Events)[] Stories =
    [
        ("thoi-su", "Tỉnh đẩy nhanh tiến độ giải ngân vốn đầu tư công những tháng cuối năm", "Nhiều dự án trọng điểm được tháo gỡ vướng mắc về mặt bằng, bảo đảm giải ngân đúng kế hoạch.", []),
        ("thoi-su", "Đối thoại trực tiếp giữa lãnh đạo tỉnh với thanh niên về khởi nghiệp", "Hơn ba trăm đoàn viên, thanh niên nêu ý kiến về vốn vay, mặt bằng và đào tạo kỹ năng.", []),
        ("thoi-su", "Phường Đồng Tâm ra mắt mô hình một cửa số hóa toàn trình", "Người dân nộp hồ sơ, theo dõi và nhận kết quả trên điện thoại, không phải đi lại nhiều lần.", ["chuyen-doi-so"]),
        ("thoi-su", "Sẵn sàng phương án ứng phó áp thấp nhiệt đới gây mưa lớn", "Các địa phương rà soát khu dân cư ven sông, vùng có nguy cơ sạt lở để chủ động di dời.", ["phong-chong-thien-tai-2026"]),
        ("xay-dung-dang", "Nâng cao chất lượng sinh hoạt chi bộ ở khu dân cư", "Nội dung sinh hoạt gắn với việc cụ thể của thôn, xóm giúp đảng viên phát huy vai trò nêu gương.", []),
        ("xay-dung-dang", "Dân vận khéo góp sức xây dựng nông thôn mới kiểu mẫu", "Từ những việc nhỏ như hiến đất mở đường, nhiều xóm đã đổi thay rõ rệt.", []),
        ("xay-dung-dang", "Cải cách hành chính gắn với công tác dân vận chính quyền", "Thái độ phục vụ của cán bộ, công chức được người dân đánh giá cao hơn qua từng năm.", ["chuyen-doi-so"]),
        ("kinh-te", "Khu công nghiệp phía Nam thu hút thêm ba dự án công nghệ cao", "Tổng vốn đăng ký mới đạt hơn 400 triệu USD, tạo việc làm cho khoảng năm nghìn lao động.", []),
        ("kinh-te", "Doanh nghiệp nhỏ tìm đường lên sàn thương mại điện tử", "Các lớp tập huấn miễn phí giúp hộ kinh doanh đưa sản phẩm địa phương đến khách hàng cả nước.", ["chuyen-doi-so"]),
        ("kinh-te", "Chỉ số sản xuất công nghiệp tháng Mười tăng gần 8%", "Ngành chế biến, chế tạo tiếp tục là động lực chính của tăng trưởng.", []),
        ("kinh-te", "Thanh toán không dùng tiền mặt phủ sóng chợ truyền thống", "Mã QR xuất hiện ở hầu hết các sạp hàng, từ mớ rau đến bó hoa.", ["chuyen-doi-so"]),
        ("nong-nghiep", "Vùng chè đặc sản bước vào vụ thu hoạch cuối năm", "Giá chè búp khô ổn định, nhiều hợp tác xã đã ký hợp đồng bao tiêu với doanh nghiệp.", []),
        ("nong-nghiep", "Nông dân chủ động gia cố chuồng trại trước mùa mưa lũ", "Ngành nông nghiệp khuyến cáo dự trữ thức ăn, thuốc thú y và di chuyển đàn gia súc khỏi vùng trũng.", ["phong-chong-thien-tai-2026"]),
        ("nong-nghiep", "Nhật ký điện tử giúp truy xuất nguồn gốc rau an toàn", "Mỗi lứa rau đều được ghi lại quy trình chăm sóc, người mua quét mã là biết.", ["chuyen-doi-so"]),
        ("nong-nghiep", "Mô hình nuôi cá lồng trên hồ mang lại thu nhập ổn định", "Hơn năm mươi hộ dân vùng hồ đã có nguồn thu nhập ổn định từ nghề nuôi cá.", []),
        ("xa-hoi", "Trường vùng cao đón học sinh trở lại sau đợt mưa lớn", "Giáo viên và phụ huynh cùng dọn bùn đất, sửa lại lớp học để các em sớm ổn định việc học.", ["phong-chong-thien-tai-2026"]),
        ("xa-hoi", "Bệnh viện tuyến huyện triển khai bệnh án điện tử", "Bệnh nhân không còn phải mang theo hồ sơ giấy, thời gian chờ khám giảm đáng kể.", ["chuyen-doi-so"]),
        ("xa-hoi", "Phiên giao dịch việc làm thu hút hơn hai nghìn lao động", "Nhiều doanh nghiệp tuyển dụng tại chỗ với mức lương khởi điểm khá.", []),
        ("xa-hoi", "Trao nhà đại đoàn kết cho hộ nghèo trước mùa đông", "Những ngôi nhà mới giúp các gia đình yên tâm vượt qua những tháng rét đậm.", []),
        ("xa-hoi", "Tình nguyện viên trẻ hỗ trợ người cao tuổi dùng dịch vụ công trực tuyến", "Các em đến từng nhà hướng dẫn cài đặt định danh điện tử và nộp hồ sơ.", ["chuyen-doi-so"]),
        ("van-hoa", "Đêm hội văn hóa các dân tộc bên dòng sông Cầu", "Những làn điệu then, sli, lượn vang lên giữa không gian đèn hoa rực rỡ.", []),
        ("van-hoa", "Phục dựng lễ hội lồng tồng của người Tày", "Nghi lễ cầu mùa được tái hiện đầy đủ, thu hút đông đảo du khách gần xa.", []),
        ("van-hoa", "Thư viện tỉnh mở không gian đọc số cho thiếu nhi", "Hàng nghìn đầu sách điện tử được số hóa, các em có thể đọc miễn phí.", ["chuyen-doi-so"]),
        ("van-hoa", "Làng nghề đan lát giữ lửa giữa nhịp sống mới", "Những nghệ nhân cao tuổi vẫn miệt mài truyền nghề cho lớp trẻ.", []),
        ("van-hoa", "Du lịch cộng đồng khởi sắc ở bản vùng cao", "Homestay nhà sàn kín phòng vào dịp cuối tuần, người dân có thêm thu nhập.", []),
        ("the-thao", "Đội bóng chuyền nữ giành vé vào vòng chung kết toàn quốc", "Các cô gái thi đấu kiên cường, thắng ngược sau khi bị dẫn hai ván.", []),
        ("the-thao", "Giải chạy vì sức khỏe cộng đồng quy tụ năm nghìn vận động viên", "Nhiều gia đình cùng nhau chạy bộ trên các cung đường ven hồ.", []),
        ("the-thao", "Võ thuật cổ truyền được đưa vào trường học", "Học sinh hào hứng với những bài quyền vừa rèn sức khỏe vừa rèn tinh thần.", []),
        ("the-thao", "Vận động viên khuyết tật mang về ba huy chương vàng", "Những tấm huy chương là kết quả của nhiều năm tập luyện bền bỉ.", []),
        ("phap-luat", "Cảnh giác với thủ đoạn lừa đảo qua tin nhắn giả danh ngân hàng", "Công an tỉnh khuyến cáo người dân không bấm vào đường link lạ, không cung cấp mã OTP.", ["chuyen-doi-so"]),
        ("phap-luat", "Xử lý nghiêm tình trạng khai thác cát trái phép trên sông", "Lực lượng chức năng tạm giữ nhiều phương tiện, lập biên bản các trường hợp vi phạm.", []),
        ("phap-luat", "Tuyên truyền pháp luật về an toàn giao thông cho học sinh", "Các buổi ngoại khóa sinh động giúp các em hiểu và chấp hành luật.", []),
        ("phap-luat", "Lực lượng xung kích túc trực ở các ngầm tràn mùa lũ", "Không để người và phương tiện đi qua khi nước dâng cao, bảo đảm an toàn tính mạng.", ["phong-chong-thien-tai-2026"]),
        ("thoi-su", "Khánh thành cầu dân sinh nối hai bờ suối", "Cây cầu mới giúp hàng trăm học sinh không còn phải lội suối đến trường.", ["phong-chong-thien-tai-2026"]),
        ("kinh-te", "Hợp tác xã đưa đặc sản địa phương vào siêu thị", "Sản phẩm đạt chuẩn OCOP được bày bán tại các hệ thống bán lẻ lớn.", []),
        ("xa-hoi", "Trạm y tế xã khám sàng lọc miễn phí cho người dân", "Chương trình tập trung vào bệnh không lây nhiễm như tăng huyết áp, đái tháo đường.", []),
    ];

    private static readonly string[] Openings =
    [
        "Những tháng gần đây, {0} trở thành chủ đề được nhiều người dân và cán bộ cơ sở quan tâm.",
        "Theo ghi nhận của phóng viên, {0} đang có những chuyển biến rõ nét so với cùng kỳ năm trước.",
        "Sáng nay, tại hội trường lớn của tỉnh, các đại biểu đã dành nhiều thời gian bàn về {0}.",
    ];

    private static readonly string[] Middles =
    [
        "Ông Nguyễn Văn Toàn, Trưởng thôn Đồng Chằm, cho biết bà con đã chủ động bàn bạc, thống nhất cách làm ngay từ đầu năm, nên khi triển khai ai cũng đồng lòng.",
        "Bà Ma Thị Liên, một người dân trong xóm, chia sẻ: \"Trước đây việc gì cũng phải đi lại nhiều lần, nay đơn giản hơn hẳn, gia đình tôi rất phấn khởi.\"",
        "Đại diện cơ quan chuyên môn đánh giá, kết quả bước đầu là tích cực, song vẫn còn một số khó khăn về nguồn lực và trình độ của đội ngũ ở cơ sở.",
        "Để đạt được kết quả này, địa phương đã huy động sự vào cuộc của cả hệ thống chính trị, trong đó đoàn thể giữ vai trò nòng cốt.",
        "Thời gian tới, ngành chức năng sẽ tiếp tục rà soát, đánh giá và nhân rộng những cách làm hiệu quả ra các địa bàn khác trong tỉnh.",
        "Nhiều ý kiến đề nghị cần có cơ chế hỗ trợ phù hợp hơn, nhất là với các xã vùng sâu, vùng xa, nơi điều kiện đi lại còn khó khăn.",
    ];

    private static readonly string[] Headings = ["Chuyển biến từ cơ sở", "Những khó khăn cần tháo gỡ", "Hướng đi cho thời gian tới"];

    public static int HandWrittenCount => Stories.Length;

    /// <summary>Article <paramref name="index"/> (0-based) published at <paramref name="publishedAt"/>.</summary>
    public static Article Article(int index, DateTimeOffset publishedAt, DateTimeOffset now)
    {
        var story = Stories[index % Stories.Length];
        var round = index / Stories.Length;
        var title = round == 0 ? story.Title : $"{story.Title} (kỳ {round + 1})";
        var topic = char.ToLowerInvariant(story.Title[0]) + story.Title[1..];
        var author = Authors[index % Authors.Length];
        var credit = PhotoCredits[index % PhotoCredits.Length];
        var blocks = new List<ArticleBlock>
        {
            new ParagraphBlock(string.Format(System.Globalization.CultureInfo.InvariantCulture, Openings[index % Openings.Length], topic)),
            new ParagraphBlock(Middles[index % Middles.Length]),
            new HeadingBlock(Headings[index % Headings.Length]),
            new ParagraphBlock(Middles[(index + 1) % Middles.Length]),
            new ImageBlock(DemoPhotos.Id(index % DemoPhotos.Count), $"Quang cảnh {topic}.", credit, story.Title),
            new ParagraphBlock(Middles[(index + 2) % Middles.Length]),
            new QuoteBlock("Việc gì có lợi cho dân thì hết sức làm, việc gì có hại cho dân thì hết sức tránh.", "Chủ tịch Hồ Chí Minh"),
            new ParagraphBlock(Middles[(index + 3) % Middles.Length]),
        };
        if (index % 7 == 3)
        {
            blocks.Add(new VideoBlock("https://video.example.vn/embed/" + (index + 1000), "Video: " + story.Title, "baothainguyen-tv"));
        }
        return new Article
        {
            Id = Id(index),
            Slug = "",
            Title = title,
            Summary = story.Summary,
            Blocks = blocks,
            Authors = index % 5 == 2 ? [author, Authors[(index + 1) % Authors.Length]] : [author],
            Category = story.Category,
            Events = story.Events,
            Columns = index % 6 == 4 ? [Columns[0].Key] : story.Title.Contains("giao thông", StringComparison.Ordinal) || story.Title.Contains("ngầm tràn", StringComparison.Ordinal) ? [Columns[1].Key] : [],
            Tags = [story.Category, .. story.Events],
            LeadPhoto = new PhotoRef(DemoPhotos.Id(index % DemoPhotos.Count), story.Summary, credit, story.Title),
            Status = publishedAt <= now ? ArticleStatus.Published : ArticleStatus.Scheduled,
            PublishAt = publishedAt,
            PublishedAt = publishedAt,
            CreatedAt = publishedAt.AddHours(-3),
            UpdatedAt = publishedAt,
            // Filed by its first author, as the development token issuer names them: a token for
            // "Hoàng Minh Đức" finds his articles with author=me.
            Owner = new Newsroom.Identity.DeskActor(Newsroom.LocalHost.Identity.DevelopmentTokenIssuer.UserId(author.Name), author.Name),
        };
    }

    public static string Id(int index) => $"demo-{index + 1:D6}";
}
