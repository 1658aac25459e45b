using System.Text.Json;
using AuthServer.Registry.Auth;
using AuthServer.Registry.Errors;
using AuthServer.Registry.Storage;

namespace AuthServer.Registry.Api;

/// <summary>
/// Every <c>/v2</c> request, in distribution's order (handlers/app.go <c>dispatcher</c>): find the
/// route and check its repository name, work out the access it needs, authorize (a refusal is a
/// 401 challenge), then run the endpoint. Errors are answered here and nowhere else.
/// </summary>
public sealed class RegistryDispatcher(AccessController access, RegistryOptions options, RegistryStore store, ILogger<RegistryDispatcher> log)
{
    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        // app.go sets this on every answer; docker and containerd look for it on the /v2/ ping.
        http.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        try
        {
            var route = RegistryRoute.Parse(http.Request.Path.Value ?? "")
                ?? throw new RegistryException(ErrorCode.NotFound, http.Request.Path.Value);
            // distribution's routes only match valid names, so a bad one never reaches authorization.
            if (route.HasRepository && !RegistryNames.IsValidName(route.Name))
                throw new RegistryException(ErrorCode.NameInvalid, new Dictionary<string, string>
                {
                    ["Name"] = route.Name,
                    ["Reason"] = $"a repository name is lowercase path components of [a-z0-9] joined by '.', '_', '__' or '-', at most {RegistryNames.MaxNameLength} characters",
                });

            var required = route.Kind switch
            {
                RouteKind.Base => RequiredAccess.None,
                RouteKind.Catalog => RequiredAccess.Catalog,
                _ => RequiredAccess.ForRepository(http.Request.Method, route.Name, http.Request.Query["from"].ToString()),
            };

            var authorization = access.Authorize(http.Request, required);
            if (authorization.Failure is { } failure)
            {
                await ChallengeAsync(http, required, failure, ct);
                return;
            }

            await (route.Kind switch
            {
                RouteKind.Base => BaseEndpoint.HandleAsync(http, ct),
                RouteKind.Catalog => CatalogEndpoint.HandleAsync(http, store, ct),
                RouteKind.Tags => TagsEndpoint.HandleAsync(http, route, store, ct),
                RouteKind.Manifest => ManifestEndpoints.HandleAsync(http, route, store, ct),
                RouteKind.Blob => BlobEndpoints.HandleAsync(http, route, store, ct),
                RouteKind.UploadStart => UploadEndpoints.StartAsync(http, route, store, ct),
                _ => UploadEndpoints.HandleAsync(http, route, store, ct),
            });
        }
        catch (RegistryException e) when (!http.Response.HasStarted)
        {
            await ErrorJson.WriteAsync(http.Response, e.Errors, ct);
        }
        catch (ContentTooLargeException e) when (!http.Response.HasStarted)
        {
            await ErrorJson.WriteAsync(http.Response, [RegistryError.With(ErrorCode.TooLarge, new Dictionary<string, long> { ["limit"] = e.Limit })], ct);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            log.LogInformation("Malformed request {Method} {Path}: {Message}", http.Request.Method, http.Request.Path, e.Message);
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCode.TooLarge : ErrorCode.BadRequest;
            await ErrorJson.WriteAsync(http.Response, [new RegistryError(code)], ct);
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // The client went away mid-request: there is no one to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            log.LogError(e, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            await ErrorJson.WriteAsync(http.Response, [new RegistryError(ErrorCode.Unknown)], ct);
        }
    }

    /// <summary>
    /// app.go <c>authorized</c>: 401, the challenge header, and UNAUTHORIZED with the required
    /// access records as detail (null when none was needed).
    /// </summary>
    private async Task ChallengeAsync(HttpContext http, IReadOnlyList<AccessItem> required, AuthFailure failure, CancellationToken ct)
    {
        http.Response.Headers.WWWAuthenticate = Challenge.HeaderValue(options.Realm, options.Service, required, failure);
        var detail = JsonSerializer.SerializeToElement(required.Count == 0 ? null : required.Select(r => r.ToDetail()).ToList(), ErrorJson.Options);
        await ErrorJson.WriteAsync(http.Response, [new RegistryError(ErrorCode.Unauthorized, detail)], ct);
    }
}
