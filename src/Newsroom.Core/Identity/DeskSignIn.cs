using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Newsroom.Identity;

/// <summary>
/// Signs a desk request in: the bearer access token is validated here, in the app (the API does not rely on
/// App Service authentication): issuer and audience of the configured Entra ID tenant and app registration,
/// an RS256 signature by one of the tenant's current signing keys (fetched from its OpenID metadata and
/// refreshed when an unknown key id appears), and its lifetime. Unsigned tokens (alg "none") and any other
/// algorithm are refused. The roles claim carries the app roles.
/// </summary>
public sealed class DeskSignIn : IDisposable
{
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeskSignIn> _log;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _entra;
    private readonly HttpDocumentRetriever? _entraDocuments;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private IList<SecurityKey> _refreshedKeys = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private readonly SecurityKey? _developmentKey;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public const string EntraHttpClient = "entra";

    public DeskSignIn(IOptions<AuthOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<DeskSignIn> log)
    {
        _options = options.Value;
        _time = time;
        _log = log;
        if (_options.UsesEntra)
        {
            _entraDocuments = new HttpDocumentRetriever(http.CreateClient(EntraHttpClient)) { RequireHttps = _options.MetadataAddress.Scheme == Uri.UriSchemeHttps };
            _entra = new ConfigurationManager<OpenIdConnectConfiguration>(_options.MetadataAddress.ToString(), new OpenIdConnectConfigurationRetriever(), _entraDocuments);
        }
        if (_options.UsesDevelopmentTokens)
        {
            _developmentKey = new JsonWebKey(_options.DevelopmentSigningKey);
        }
    }

    /// <summary>The signed-in user; a <see cref="UnauthorizedException"/> (401) when there is no valid token.</summary>
    /// <summary>
    /// A desk write: signs the caller in first (a 401 before any body is read), then reads the JSON body as
    /// <typeparamref name="TInput"/> (400/415 saying what is wrong), then writes with both.
    /// </summary>
    public async Task<TResult> WriteAsync<TInput, TResult>(HttpRequest request, Func<DeskUser, TInput, Task<TResult>> write, CancellationToken cancellationToken)
        where TInput : class
    {
        var user = await UserAsync(request, cancellationToken);
        var input = await Http.RequestJson.ReadAsync<TInput>(request, allowEmpty: false, cancellationToken);
        return await write(user, input!);
    }

    public async Task<DeskUser> UserAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthorizedException("Sign in: send an access token for the newsroom API as 'Authorization: Bearer <token>'.", error: null);
        }
        return await ValidateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
    }

    /// <summary>Validates an access token; a <see cref="UnauthorizedException"/> says why it is refused.</summary>
    public async Task<DeskUser> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        string alg;
        try
        {
            alg = new JsonWebToken(token).Alg;
        }
        catch (Exception e) when (e is SecurityTokenMalformedException or ArgumentException)
        {
            throw Refused("it is not a well-formed JWT.");
        }
        if (alg != SecurityAlgorithms.RsaSha256)
        {
            // Said plainly before anything else: an unsigned token (alg "none") or an HMAC one is never accepted.
            throw Refused($"it is not signed with RS256 (its alg is '{alg}').");
        }
        var result = await _handler.ValidateTokenAsync(token, await ParametersAsync(cancellationToken));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && _entra is not null
            && await RefreshKeysAsync(cancellationToken))
        {
            // The tenant rolled its keys: validate again with the ones it publishes now.
            result = await _handler.ValidateTokenAsync(token, await ParametersAsync(cancellationToken));
        }
        if (!result.IsValid)
        {
            throw Refused(Describe(result.Exception));
        }
        // An access token for the desk's delegated scope: not an ID token, nor an app-only token, for the same audience.
        var scopes = result.ClaimsIdentity.FindAll("scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!scopes.Contains(_options.Scope, StringComparer.Ordinal))
        {
            throw Refused($"it does not grant the scope '{_options.Scope}' (it is not an access token for the newsroom desk).");
        }
        return ToUser(result.ClaimsIdentity);
    }

    public void Dispose() => _refreshGate.Dispose();

    /// <summary>How often at most a token signed by an unknown key makes the app fetch the tenant's keys.</summary>
    public static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Fetches the tenant's keys now, at most once per <see cref="KeyRefreshInterval"/> (a stream of forged
    /// tokens must not turn into a stream of requests to Entra ID). The configuration manager refreshes in the
    /// background only, so a token signed by a key published a minute ago would otherwise be refused.
    /// </summary>
    private async Task<bool> RefreshKeysAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _refreshedAt < KeyRefreshInterval)
            {
                return false;
            }
            _refreshedAt = _time.GetUtcNow();
            try
            {
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_options.MetadataAddress.ToString(), _entraDocuments!, cancellationToken);
                // Used beside the configuration manager's keys until its own periodic refresh has them too.
                _refreshedKeys = configuration.SigningKeys.ToList();
                return true;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                IdentityLog.MetadataUnavailable(_log, _options.MetadataAddress, e);
                return false;
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private UnauthorizedException Refused(string why)
    {
        IdentityLog.TokenRefused(_log, why);
        return new UnauthorizedException($"The access token was refused: {why} Sign in again to get a new one.", error: "invalid_token") { ErrorDescription = why };
    }

    private async Task<TokenValidationParameters> ParametersAsync(CancellationToken cancellationToken)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(_options.ClockSkewSeconds),
            LifetimeValidator = ValidateLifetime,
            NameClaimType = "name",
            RoleClaimType = "roles",
        };
        var issuers = new List<string>();
        var audiences = new List<string>();
        var keys = new List<SecurityKey>();
        if (_entra is not null)
        {
            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await _entra.GetConfigurationAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Never fetched (a first request while Entra ID cannot be reached): no key to check a token with.
                IdentityLog.MetadataUnavailable(_log, _options.MetadataAddress, e);
                throw new ServiceUnavailableException("Signing in is unavailable for a moment: Entra ID's signing keys could not be fetched.", e);
            }
            issuers.AddRange(_options.EntraIssuers);
            audiences.AddRange(_options.EntraAudiences);
            keys.AddRange(configuration.SigningKeys);
            keys.AddRange(_refreshedKeys);
        }
        if (_developmentKey is not null)
        {
            issuers.Add(_options.DevelopmentIssuer!);
            audiences.Add(DevelopmentAudience);
            keys.Add(_developmentKey);
        }
        parameters.ValidIssuers = issuers;
        parameters.ValidAudiences = audiences;
        parameters.IssuerSigningKeys = keys;
        return parameters;
    }

    /// <summary>The token's lifetime against the app's clock (TimeProvider), with the configured skew.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }
        if (notBefore is { } from && from > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = from };
        }
        if (expires.Value < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }
        return true;
    }

    /// <summary>The audience of development tokens.</summary>
    public const string DevelopmentAudience = "api://newsroom-local";

    private static DeskUser ToUser(ClaimsIdentity identity)
    {
        var id = identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value
            ?? throw new UnauthorizedException("The access token names no user (no oid claim).", error: "invalid_token");
        var name = identity.FindFirst("name")?.Value ?? identity.FindFirst("preferred_username")?.Value ?? id;
        // Only the role names themselves ("1" would parse as a DeskRole too); unknown roles are ignored.
        var roles = identity.FindAll("roles").Where(c => Enum.GetNames<DeskRole>().Contains(c.Value, StringComparer.Ordinal))
            .Select(c => Enum.Parse<DeskRole>(c.Value)).ToHashSet();
        return new DeskUser(id, name, roles);
    }

    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "it has expired.",
        SecurityTokenNotYetValidException => "it is not valid yet.",
        SecurityTokenInvalidAudienceException => "it is for another application (audience).",
        SecurityTokenInvalidIssuerException => "it was issued by another tenant or issuer.",
        SecurityTokenSignatureKeyNotFoundException => "it is signed by a key the tenant does not publish.",
        SecurityTokenInvalidSignatureException => "its signature is not valid.",
        SecurityTokenInvalidAlgorithmException => "it is not signed with RS256.",
        SecurityTokenNoExpirationException => "it has no expiry.",
        SecurityTokenMalformedException or ArgumentException => "it is not a well-formed JWT.",
        _ => "it could not be validated.",
    };
}
