package dev.kubeha.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void suggestsNearKeysOnly() {
        List<String> keys = List.of("name", "address", "roles", "port", "user", "identityFile");
        assertEquals(Optional.of("address"), Suggest.nearest("adress", keys));
        assertEquals(Optional.of("address"), Suggest.nearest("addrses", keys));
        assertEquals(Optional.of("identityFile"), Suggest.nearest("identityfile", keys));
        assertEquals(Optional.empty(), Suggest.nearest("kubernetes", keys));
    }

    @Test
    void transpositionCostsOne() {
        assertEquals(1, Suggest.distance("rloes", "roles"));
        assertEquals(3, Suggest.distance("kitten", "sitting"));
    }
}
