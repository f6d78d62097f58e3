using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Newsroom.Identity;

/// <summary>
/// Who may sign in to the desk: Microsoft Entra ID access tokens for the API's app registration
/// (Auth__TenantId, Auth__ClientId in Azure), validated in the app itself (issuer, audience, signature by a
/// key of the tenant's published set, lifetime). Locally the local host issues development tokens and gives
/// the app their issuer and public key (Auth__DevelopmentIssuer, Auth__DevelopmentSigningKey); an app running
/// on Azure refuses to start with those set.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The Entra ID tenant (directory) id.</summary>
    public string? TenantId { get; set; }

    /// <summary>The API's app registration (client) id: tokens must be for it (aud = id or api://id).</summary>
    public string? ClientId { get; set; }

    /// <summary>The delegated scope the API's app registration exposes; an access token must carry it (claim scp).</summary>
    [Required]
    public string Scope { get; set; } = "access_as_user";

    /// <summary>The Entra ID authority host.</summary>
    [Required]
    public Uri Instance { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>Local development only: the issuer of the local host's tokens.</summary>
    public string? DevelopmentIssuer { get; set; }

    /// <summary>Local development only: the public key (a JWK, as JSON) the local host signs its tokens with.</summary>
    public string? DevelopmentSigningKey { get; set; }

    /// <summary>Clock skew allowed on a token's lifetime.</summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 120;

    public bool UsesEntra => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(ClientId);

    public bool UsesDevelopmentTokens => !string.IsNullOrWhiteSpace(DevelopmentIssuer) && !string.IsNullOrWhiteSpace(DevelopmentSigningKey);

    /// <summary>The tenant's OpenID Connect metadata (issuer, signing keys).</summary>
    public Uri MetadataAddress => new(Instance, $"{TenantId}/v2.0/.well-known/openid-configuration");

    /// <summary>The issuers of the tenant's access tokens, v2 and v1.</summary>
    public IReadOnlyList<string> EntraIssuers => [new Uri(Instance, $"{TenantId}/v2.0").ToString(), $"https://sts.windows.net/{TenantId}/"];

    public IReadOnlyList<string> EntraAudiences => [ClientId!, $"api://{ClientId}"];
}

/// <summary>Checks <see cref="AuthOptions"/> at start, with the configuration to know whether the app runs on Azure.</summary>
public sealed class AuthOptionsValidation(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var onAzure = AzureEnvironment.IsAzure(configuration);
        if (onAzure && (!string.IsNullOrEmpty(options.DevelopmentIssuer) || !string.IsNullOrEmpty(options.DevelopmentSigningKey)))
        {
            return ValidateOptionsResult.Fail("Auth:DevelopmentIssuer and Auth:DevelopmentSigningKey are for the local host only; remove them from the Function App's settings.");
        }
        if (!options.UsesEntra && !options.UsesDevelopmentTokens)
        {
            return ValidateOptionsResult.Fail(
                "Signing in to the desk needs Auth:TenantId and Auth:ClientId (the Entra ID app registration of the API; see infra/entra), or, locally, the local host's development issuer.");
        }
        return ValidateOptionsResult.Success;
    }
}
