namespace AuthServer.Admin.Models;

public sealed record SessionsEnded(string Account, int Ended);

public sealed record AddressUnlocked(string Address);
