using AuthServer.Admin.Models;
using AuthServer.Core.SignIn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthServer.Admin;

public static class LockoutEndpoints
{
    public static RouteGroupBuilder MapLockoutEndpoints(this RouteGroupBuilder api)
    {
        var addresses = api.MapGroup("/addresses").WithTags("Lockouts");

        addresses.MapPost("/{address}/unlock", async Task<Ok<AddressUnlocked>> (string address, LockoutService lockouts, CancellationToken ct) =>
                TypedResults.Ok(new AddressUnlocked(await lockouts.UnlockAddressAsync(address, ct))))
            .WithName("UnlockAddress").WithSummary("Lift a client address's lockout (an IPv6 address unlocks its /64)")
            .ProducesValidationProblem();
        return api;
    }
}
