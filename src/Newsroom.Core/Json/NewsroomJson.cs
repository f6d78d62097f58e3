using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Newsroom.Json;

/// <summary>The one JSON shape of the API and of stored documents: camelCase, enums as camelCase strings.</summary>
public static class NewsroomJson
{
    /// <summary>
    /// Vietnamese letters are written as themselves (no \u escapes), while the HTML-sensitive characters
    /// (&lt; &gt; &amp; ' ") are still escaped, so text fields can never smuggle markup into a page that
    /// embeds the JSON.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
