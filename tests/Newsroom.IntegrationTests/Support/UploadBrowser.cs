using System.Net;
using System.Net.Http.Headers;
using Newsroom.Uploads;

namespace Newsroom.IntegrationTests.Support;

/// <summary>The editor's browser: it PUTs a file straight to storage with nothing but the ticket's SAS and headers.</summary>
public static class UploadBrowser
{
    public static HttpClient Browser { get; } = new();

    public static async Task<string> PutAsync(PdfUploadTicket ticket, byte[] bytes)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, ticket.UploadUrl) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in ticket.Headers.Where(h => h.Key != "Content-Type"))
        {
            put.Headers.Add(name, value);
        }
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(ticket.Headers["Content-Type"]);
        using var response = await Browser.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ticket.UploadId;
    }
}
