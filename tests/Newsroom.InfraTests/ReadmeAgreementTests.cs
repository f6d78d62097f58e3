using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>Code, infra and README agree on every setting name an operator may look for.</summary>
public sealed class ReadmeAgreementTests
{
    // App settings in the template that the README's Configuration section must name: the sections as
    // "Section:Key" (configuration keys, as the code binds them), the schedules as they are.
    private static readonly string[] DocumentedSections = ["NewsroomStorage__", "NewsroomRenditions__", "Edge__", "Photos__", "Auth__", "Site__", "Search__"];
    private static readonly string[] DocumentedSettings = ["TableBackupSchedule", "HomepageRefreshSchedule"];

    public static TheoryData<string> DocumentedAppSettings()
    {
        var settings = (JsonObject)CompiledTemplate.OfType("Microsoft.Web/sites/config").Single(r => ((string)r["name"]!).Contains("appsettings", StringComparison.Ordinal))["properties"]!;
        var data = new TheoryData<string>();
        foreach (var key in settings.Select(p => p.Key).Where(k => DocumentedSections.Any(s => k.StartsWith(s, StringComparison.Ordinal)) || DocumentedSettings.Contains(k)).Order(StringComparer.Ordinal))
        {
            data.Add(key);
        }
        return data;
    }

    [Fact]
    public void The_template_sets_every_kind_of_documented_setting()
    {
        var keys = ((IEnumerable<object[]>)DocumentedAppSettings()).Select(row => (string)row[0]).ToList();
        Assert.All(DocumentedSections, section => Assert.Contains(keys, k => k.StartsWith(section, StringComparison.Ordinal)));
        Assert.All(DocumentedSettings, setting => Assert.Contains(setting, keys));
    }

    /// <summary>Configuration keys are case-insensitive, so the README may capitalise them (NewsroomStorage:BlobServiceUri).</summary>
    [Theory]
    [MemberData(nameof(DocumentedAppSettings))]
    public void Code_infra_and_readme_agree_on_every_setting_name(string appSetting)
    {
        var configurationKey = appSetting.Replace("__", ":", StringComparison.Ordinal);
        Assert.True(
            RepoFiles.Readme.Contains(configurationKey, StringComparison.OrdinalIgnoreCase),
            $"README.md does not name the setting {configurationKey} (app setting {appSetting} in infra/)");
    }
}
