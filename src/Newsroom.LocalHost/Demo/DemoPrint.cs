using Newsroom.Identity;
using Newsroom.Print;
using Newsroom.Storage;
using Newsroom.Uploads;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Newsroom.LocalHost.Demo;

/// <summary>
/// The demo paper's print editions: two periodicals and three issues, each a small PDF drawn here (a page per
/// section, in a standard font, so ASCII text) and published through the same checks as an editor's upload.
/// </summary>
public static class DemoPrint
{
    public static readonly PeriodicalInput[] Periodicals =
    [
        new("Báo Hằng tháng", "Báo in phát hành mỗi tháng một số", 1),
        new("Số báo đặc biệt", "Các số Tết, số chào mừng ngày lễ lớn", 2),
    ];

    /// <summary>What the demo issues print, a headline a page (Vietnamese without its marks: the standard font has none).</summary>
    private static readonly string[] Headlines =
    [
        "Hoi nghi tong ket cong tac dan van nam 2026",
        "Thai Nguyen day manh chuyen doi so trong cai cach hanh chinh",
        "Vung che Tan Cuong vao vu thu hoach",
        "Dam bao an toan giao thong dip cuoi nam",
        "Phong trao thi dua yeu nuoc o co so",
        "Giu gin ban sac van hoa cac dan toc",
        "Nong thon moi nang cao: ket qua va bai hoc",
        "The thao phong trao soi noi tai cac xa",
    ];

    /// <summary>
    /// A PDF of <paramref name="pages"/> pages: the first carries <paramref name="title"/>, each carries its lines
    /// (<paramref name="lines"/>, or one of the demo headlines) and its page number.
    /// </summary>
    public static byte[] Pdf(string title, int pages, Func<int, string[]>? lines = null)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var i = 1; i <= pages; i++)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(i == 1 ? title : $"{title} - trang {i}", 18, new PdfPoint(50, 760), font);
            var y = 720;
            foreach (var line in lines?.Invoke(i) ?? [Headlines[(i - 1) % Headlines.Length]])
            {
                page.AddText(line, 12, new PdfPoint(50, y), font);
                y -= 20;
            }
            page.AddText($"Page {i} of {pages}", 10, new PdfPoint(50, 60), font);
        }
        return builder.Build();
    }

    /// <summary>Creates the periodicals and publishes the issues that are missing (idempotent: fixed ids).</summary>
    public static async Task SeedAsync(PrintEditions print, StorageClients storage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var system = new DeskUser(DeskActor.System.Id, DeskActor.System.Name, new HashSet<DeskRole> { DeskRole.Admin, DeskRole.Publisher });
        var existing = System.Text.Json.JsonDocument.Parse((await print.PeriodicalsAsync(cancellationToken)).Body).RootElement
            .EnumerateArray().Select(p => p.GetProperty("slug").GetString()).ToHashSet();
        foreach (var periodical in Periodicals.Where(p => !existing.Contains(Text.VietnameseText.Slugify(p.Name!))))
        {
            await print.CreatePeriodicalAsync(system, periodical, cancellationToken);
        }
        var month = now.ToOffset(TimeSpan.FromHours(7));
        var last = month.AddMonths(-1);
        (string Id, string Periodical, string Number, string Title, PrintIssueKind Kind, string IssuedOn, string Ascii, int Pages)[] issues =
        [
            ("demo-print-1", "bao-hang-thang", $"Số {last.Month + 110}", $"Số {last.Month + 110}/Tháng {last.Month:00} năm {last.Year} – Báo Hằng tháng", PrintIssueKind.Regular, $"{last:yyyy-MM}", $"Bao Hang thang {last:MM/yyyy}", 8),
            ("demo-print-2", "bao-hang-thang", $"Số {month.Month + 110}", $"Số {month.Month + 110}/Tháng {month.Month:00} năm {month.Year} – Báo Hằng tháng", PrintIssueKind.Regular, $"{month:yyyy-MM}", $"Bao Hang thang {month:MM/yyyy}", 8),
            ("demo-print-3", "so-bao-dac-biet", "Số Tết", $"Số Báo Tết Dương lịch {month.Year}", PrintIssueKind.Special, $"{month.Year}-01-01", $"Bao Tet Duong lich {month.Year}", 12),
        ];
        foreach (var (id, periodical, number, title, kind, issuedOn, ascii, pages) in issues)
        {
            if (await print.KeepsAsync(id, null, cancellationToken))
            {
                continue;
            }
            await storage.Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(id))
                .UploadAsync(new BinaryData(Pdf(ascii, pages)), overwrite: true, cancellationToken);
            await print.PublishAsync(system, new PrintIssueInput(periodical, number, title, kind, issuedOn, new Articles.PhotoRef(DemoPhotos.Id(pages % DemoPhotos.Count)), id), cancellationToken);
        }
    }

    /// <summary>The demo legal documents that have their PDF attached (the others are text only, as many are).</summary>
    public static readonly string[] AttachedLegalDocuments = ["demo-legal-1", "demo-legal-2"];

    /// <summary>Attaches a PDF to the demo legal documents that should have one and do not yet, through the desk's checks.</summary>
    public static async Task AttachLegalAsync(Newsroom.Legal.LegalAttachments attachments, Newsroom.Articles.ArticleStore articles, StorageClients storage, CancellationToken cancellationToken)
    {
        var system = new DeskUser(DeskActor.System.Id, DeskActor.System.Name, new HashSet<DeskRole> { DeskRole.Admin, DeskRole.Publisher });
        foreach (var id in AttachedLegalDocuments)
        {
            if (await articles.GetAsync(id, cancellationToken) is not { Article.Legal: { Attachment: null } legal })
            {
                continue;
            }
            var upload = id + "-pdf";
            await storage.Container(StorageNames.UploadsContainerName).GetBlobClient(PdfUploads.BlobName(upload))
                .UploadAsync(new BinaryData(Pdf(Ascii(legal.Number), 2, page => page == 1 ? ["Van ban toan van", Ascii(legal.Issuer)] : ["To chuc thuc hien"])), overwrite: true, cancellationToken);
            await attachments.AttachAsync(system, id, new Newsroom.Legal.LegalAttachmentInput(upload), "*", cancellationToken);
        }
    }

    /// <summary>Vietnamese without its marks, for the standard font.</summary>
    private static string Ascii(string text) => new([.. Text.VietnameseText.Fold(text).Where(char.IsAscii)]);
}
