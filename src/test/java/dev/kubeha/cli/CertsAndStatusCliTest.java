package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CertsAndStatusCliTest {
    @Test
    void certsGroupsCheckAndRenew() {
        CliRunner.Run check = CliRunner.run("certs", "check", "--help");
        assertEquals(0, check.code());
        assertTrue(check.out().startsWith("Usage: kubeha certs check ") && check.out().contains("-f=FILE"),
                check.out());
        CliRunner.Run renew = CliRunner.run("certs", "renew", "--help");
        assertTrue(renew.out().contains("--within=DAYS"), renew.out());
        CliRunner.Run certs = CliRunner.run("certs", "--help");
        assertTrue(certs.out().contains("renew") && certs.out().contains("Renew the cluster's certificates"),
                certs.out());
        assertTrue(CliRunner.run("--help").out().contains("  certs "), "certs is listed");
        assertEquals(2, CliRunner.run("certs").code());
    }

    @Test
    void usageErrorsExitTwoBeforeAnythingIsOpened() {
        CliRunner.Run within = CliRunner.run("certs", "renew", "-f", "nowhere.yaml", "--within", "0");
        assertEquals(2, within.code());
        assertTrue(within.err().contains("option '--within': '0' is not a whole number of days of 1 or more"),
                within.err());
        CliRunner.Run output = CliRunner.run("status", "-f", "nowhere.yaml", "--output", "yaml");
        assertEquals(2, output.code());
        assertTrue(output.err().contains("'yaml' is not one of text, json"), output.err());
        assertEquals(2, CliRunner.run("certs", "sign", "-f", "x").code());
    }
}
