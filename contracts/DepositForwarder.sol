// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IToken {
    function balanceOf(address who) external view returns (uint256);
    function transfer(address to, uint256 value) external;
}

/// An exchange deposit address: a contract created per customer that forwards every ETH
/// payment it receives to the exchange's hot wallet in the same transaction (an internal
/// transfer), and whose tokens the exchange sweeps to the hot wallet. This is the pattern
/// the deposit-address heuristic looks for: many payers → one deposit address → hot wallet.
contract DepositForwarder {
    address payable public immutable hotWallet;

    constructor(address payable hotWallet_) {
        hotWallet = hotWallet_;
    }

    receive() external payable {
        (bool ok, ) = hotWallet.call{value: msg.value}("");
        require(ok, "forward failed");
    }

    /// Moves the whole token balance to the hot wallet. The call is made without reading a
    /// return value, so it works with tokens that return nothing (USDT style).
    function sweep(IToken token) external {
        token.transfer(hotWallet, token.balanceOf(address(this)));
    }
}

/// The exchange's factory of deposit addresses (CREATE2, one salt per customer).
contract DepositFactory {
    address payable public immutable hotWallet;

    event Deposit(address indexed depositAddress, bytes32 salt);

    constructor(address payable hotWallet_) {
        hotWallet = hotWallet_;
    }

    function create(bytes32 salt) external returns (address) {
        DepositForwarder d = new DepositForwarder{salt: salt}(hotWallet);
        emit Deposit(address(d), salt);
        return address(d);
    }
}

/// Sends ETH to several recipients in one transaction; a recipient that refuses is skipped
/// (its inner call reverts, and its value must not be counted as moved).
contract Splitter {
    function split(address payable[] calldata to, uint256[] calldata amounts) external payable {
        for (uint256 i = 0; i < to.length; i++) {
            (bool ok, ) = to[i].call{value: amounts[i]}("");
            ok; // a refused payment stays with the splitter
        }
    }
}

/// A contract that refuses ETH.
contract Refuser {
    receive() external payable {
        revert("no");
    }
}
