// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A minimal ERC-721: its `Transfer` event has the same signature as ERC-20's but all three
/// arguments indexed (four topics, no data), which is how the two are told apart.
contract WildNft {
    string public constant name = "Wild Nft";
    string public constant symbol = "WNFT";
    mapping(uint256 => address) public ownerOf;

    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);

    function mint(address to, uint256 tokenId) external {
        require(ownerOf[tokenId] == address(0), "minted");
        ownerOf[tokenId] = to;
        emit Transfer(address(0), to, tokenId);
    }

    function transferFrom(address from, address to, uint256 tokenId) external {
        require(ownerOf[tokenId] == from && from == msg.sender, "not owner");
        ownerOf[tokenId] = to;
        emit Transfer(from, to, tokenId);
    }
}
