using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SigningCa : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CaId",
                table: "signing_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "signing_cas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Algorithm = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ProtectedPrivateKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Certificate = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Imported = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RetiredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NotAfter = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_cas", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_signing_keys_CaId",
                table: "signing_keys",
                column: "CaId");

            migrationBuilder.CreateIndex(
                name: "IX_signing_cas_Kid",
                table: "signing_cas",
                column: "Kid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_signing_cas_State",
                table: "signing_cas",
                column: "State",
                unique: true,
                filter: "\"State\" = 'Active'");

            migrationBuilder.AddForeignKey(
                name: "FK_signing_keys_signing_cas_CaId",
                table: "signing_keys",
                column: "CaId",
                principalTable: "signing_cas",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_signing_keys_signing_cas_CaId",
                table: "signing_keys");

            migrationBuilder.DropTable(
                name: "signing_cas");

            migrationBuilder.DropIndex(
                name: "IX_signing_keys_CaId",
                table: "signing_keys");

            migrationBuilder.DropColumn(
                name: "CaId",
                table: "signing_keys");
        }
    }
}
