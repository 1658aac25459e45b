using System.Text;
using AuthServer.Core.Signing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole.Pages.Admin;

public sealed class KeysModel(SigningKeyService keys, IOptions<SigningOptions> signing) : ConsolePage
{
    public IReadOnlyList<SigningKey> Keys { get; private set; } = [];
    public string DefaultAlgorithm => signing.Value.Algorithm;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnGetBundleAsync(CancellationToken ct) =>
        File(Encoding.UTF8.GetBytes(await keys.ExportBundleAsync(ct)), "application/x-pem-file", "bundle.pem");

    public async Task<IActionResult> OnGetJwksAsync(CancellationToken ct) =>
        File(Encoding.UTF8.GetBytes((await keys.ExportJwksAsync(ct)).ToJson()), "application/json", "jwks.json");

    public async Task<IActionResult> OnPostAddAsync(string? algorithm, bool activate, CancellationToken ct)
    {
        var key = await keys.AddAsync(string.IsNullOrWhiteSpace(algorithm) ? null : algorithm, activate, ct);
        return Done(activate ? $"Key {key.Kid} was added and is active." : $"Key {key.Kid} was added as the next key.");
    }

    public async Task<IActionResult> OnPostActivateAsync(string kid, CancellationToken ct)
    {
        await keys.ActivateAsync(kid, ct);
        return Done($"Key {kid} is now active.");
    }

    public async Task<IActionResult> OnPostRetireAsync(string kid, CancellationToken ct)
    {
        await keys.RetireAsync(kid, ct);
        return Done($"Key {kid} was retired.");
    }

    public override async Task LoadAsync(CancellationToken ct) =>
        Keys = (await keys.ListAsync(ct)).OrderBy(k => k.State switch { SigningKeyState.Active => 0, SigningKeyState.Next => 1, _ => 2 })
            .ThenByDescending(k => k.CreatedAt).ToArray();
}
