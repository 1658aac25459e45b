using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StoredLocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "lockouts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Failures = table.Column<double>(type: "REAL", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Until = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lockouts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_lockouts_Account",
                table: "lockouts",
                column: "Account");

            migrationBuilder.CreateIndex(
                name: "IX_lockouts_Source",
                table: "lockouts",
                column: "Source");

            migrationBuilder.CreateIndex(
                name: "IX_lockouts_Until",
                table: "lockouts",
                column: "Until");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lockouts");
        }
    }
}
